import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { httpError, parseInput } from '@oo/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountService } from '../accounts/account.service.js';
import type { Account } from '../accounts/account.repository.js';
import { AUTH_ENV, type AuthEnv } from '../config/env.js';
import { SessionCookies } from './session-cookies.js';
import { SessionService } from './session.service.js';

/** `/auth/*` session routes; the gateway proxies them. */
@Controller('auth')
export class SessionController {
  constructor(
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly cookies: SessionCookies,
  ) {}

  /** Which sign-in buttons the SPA shows: only the methods that work here. */
  @Get('methods')
  methods(@Query() query: unknown): { google: boolean; devLogin: boolean } {
    parseInput('auth.methods', 'query', query);
    return { google: this.env.GOOGLE_CLIENT_ID !== '', devLogin: this.env.AUTH_DEV_LOGIN };
  }

  /** Local development only (AUTH_DEV_LOGIN): signs in as anyone by email. */
  @Post('dev-login')
  @HttpCode(200)
  async devLogin(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ user: Account; created: boolean }> {
    if (!this.env.AUTH_DEV_LOGIN) throw httpError(404, 'not_found', 'Not found');
    parseInput('auth.dev_login', 'query', query);
    const { email, name } = parseInput('auth.dev_login', 'body', body);
    const { account, created } = await this.accounts.signIn({
      provider: 'dev',
      subject: email.toLowerCase(),
      email,
      name: name.trim(),
    });
    this.cookies.set(reply, await this.sessions.start(account));
    return { user: account, created };
  }

  /** Spends the refresh cookie for a new session token and refresh token. */
  @Post('refresh')
  @HttpCode(204)
  async refresh(
    @Query() query: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    parseInput('auth.refresh', 'query', query);
    const token = this.cookies.refreshToken(request);
    const outcome = token ? await this.sessions.refresh(token) : undefined;
    if (outcome && !outcome.ok && outcome.reason === 'superseded') {
      // Another tab refreshed first and its new cookies are in the browser: clearing them now
      // would sign that tab out too.
      throw httpError(401, 'unauthenticated', 'This session was just refreshed; retry with it');
    }
    if (!outcome?.ok) {
      this.cookies.clear(reply);
      throw httpError(401, 'unauthenticated', 'The session has ended; sign in again');
    }
    this.cookies.set(reply, outcome.session);
  }

  /** Ends the session: its refresh tokens are revoked and the cookies cleared. */
  @Post('logout')
  @HttpCode(204)
  async logout(
    @Query() query: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    parseInput('auth.logout', 'query', query);
    const token = this.cookies.refreshToken(request);
    if (token) await this.sessions.end(token);
    this.cookies.clear(reply);
  }
}
