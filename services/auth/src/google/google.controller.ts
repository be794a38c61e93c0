import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import { httpError, parseInput } from '@oo/platform';
import { expiredCookie, serializeCookie } from '@oo/sessions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountService } from '../accounts/account.service.js';
import { AUTH_ENV, type AuthEnv } from '../config/env.js';
import { SessionCookies } from '../sessions/session-cookies.js';
import { SessionService } from '../sessions/session.service.js';
import { allowedReturnTo, GoogleOAuthService } from './google-oauth.service.js';
import type { OAuthRequest } from './oauth-state.store.js';

/** Sign in with Google: `/auth/google` → Google → `/auth/google/callback`. */
@Controller('auth/google')
export class GoogleController {
  private readonly logger = new Logger(GoogleController.name);

  constructor(
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
    private readonly google: GoogleOAuthService,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly cookies: SessionCookies,
  ) {}

  /** Sends the browser to Google with a fresh state and PKCE challenge. */
  @Get()
  async start(
    @Query() query: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { returnTo } = parseInput('auth.google', 'query', query);
    const oauthRequest: OAuthRequest = {
      query: {},
      headers: { cookie: request.headers.cookie },
      returnTo: allowedReturnTo(returnTo),
    };
    const outcome = await this.google.run(oauthRequest);
    if (outcome.kind !== 'redirect' || !oauthRequest.pendingCookie) {
      throw httpError(502, 'unavailable', 'Google sign-in could not start');
    }
    await reply
      .header(
        'set-cookie',
        serializeCookie(this.google.states.cookieName, oauthRequest.pendingCookie, {
          maxAgeSeconds: 600,
          httpOnly: true,
          secure: this.env.OO_ENV === 'production',
          // Lax: the cookie must come back on Google's top-level redirect to the callback.
          sameSite: 'Lax',
        }),
      )
      .redirect(outcome.url, 302);
  }

  /** Google sends the browser back here; only the browser that started the attempt succeeds. */
  @Get('callback')
  async callback(
    @Query() rawQuery: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const query = parseInput('auth.google_callback', 'query', rawQuery);
    if (!query.code && !query.error) {
      throw httpError(400, 'invalid_request', 'code is missing', 'code');
    }
    const outcome = await this.google.run({
      query: { code: query.code, state: query.state, error: query.error },
      headers: { cookie: request.headers.cookie },
    });
    void reply.header(
      'set-cookie',
      expiredCookie(this.google.states.cookieName, this.env.OO_ENV === 'production'),
    );
    switch (outcome.kind) {
      case 'success': {
        const { account } = await this.accounts.signIn({ provider: 'google', ...outcome.identity });
        this.cookies.set(reply, await this.sessions.start(account));
        await reply.redirect(new URL(outcome.returnTo, this.env.PUBLIC_URL).toString(), 302);
        return;
      }
      case 'refused':
        throw httpError(403, 'forbidden', `Sign-in refused: ${outcome.reason}; please start again`);
      case 'redirect':
        throw httpError(400, 'invalid_request', 'This is not a sign-in callback');
      case 'error':
        this.logger.warn(`Google sign-in failed: ${JSON.stringify(outcome.error.message)}`);
        throw httpError(
          502,
          'unavailable',
          'Google did not complete the sign-in; please try again',
        );
    }
  }
}
