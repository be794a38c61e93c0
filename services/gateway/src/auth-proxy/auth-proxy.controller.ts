import { All, Controller, Inject, Logger, Req, Res } from '@nestjs/common';
import { Public } from '@oo/access';
import { httpError } from '@oo/platform';
import { cookieNames, parseCookies, verifySessionToken } from '@oo/sessions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { SessionChecksRepository } from '../sessions/session-checks.repository.js';
import { SessionKeysService } from '../sessions/session-keys.service.js';

const FORWARDED_REQUEST_HEADERS = ['cookie', 'content-type', 'accept', 'user-agent'];
const RETURNED_HEADERS = ['content-type', 'location', 'cache-control'];
/** Exactly the routes auth serves to browsers; anything else under /auth is a 404 here. */
const AUTH_ROUTES = new Set([
  '/auth/google',
  '/auth/google/callback',
  '/auth/dev-login',
  '/auth/methods',
  '/auth/refresh',
  '/auth/logout',
]);
const TIMEOUT_MS = 5_000;
/** The callback waits for Google's token and userinfo answers before it can answer. */
const CALLBACK_TIMEOUT_MS = 15_000;

/**
 * `/auth/*` → the auth service (sign-in, refresh, logout). Public by nature; mutations still
 * pass the guard's Origin check. A logout also stops the session here at once, not only when
 * its token expires.
 */
@Controller('auth')
@Public()
export class AuthProxyController {
  private readonly logger = new Logger(AuthProxyController.name);
  private readonly sessionCookie: string;

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly sessions: SessionChecksRepository,
    private readonly keys: SessionKeysService,
  ) {
    this.sessionCookie = cookieNames(env.OO_ENV === 'production').session;
  }

  @All('*')
  async forward(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Only the path and query of the request, resolved the way a browser would: an absolute-form
    // request line or `..` segments can never point the proxy anywhere but auth's own routes.
    const asked = new URL(request.url, 'http://gateway.invalid');
    if (!AUTH_ROUTES.has(asked.pathname)) throw httpError(404, 'not_found', 'Not found');
    const target = new URL(this.env.AUTH_URL);
    target.pathname = asked.pathname;
    target.search = asked.search;
    const headers: Record<string, string> = {
      'x-forwarded-for': request.ip,
      'x-forwarded-proto': request.protocol,
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    let response: Response;
    try {
      response = await fetch(target, {
        method: request.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(
          target.pathname === '/auth/google/callback' ? CALLBACK_TIMEOUT_MS : TIMEOUT_MS,
        ),
        ...(hasBody && request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
    } catch (error) {
      this.logger.warn(
        `auth did not answer ${request.method} ${target.pathname}: ${(error as Error).message}`,
      );
      throw httpError(503, 'unavailable', 'Sign-in is unavailable right now; try again shortly');
    }
    if (target.pathname === '/auth/logout' && response.ok) await this.stopSession(request);

    void reply.status(response.status);
    for (const name of RETURNED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) void reply.header(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length) void reply.header('set-cookie', cookies);
    await reply.send(Buffer.from(await response.arrayBuffer()));
  }

  private async stopSession(request: FastifyRequest): Promise<void> {
    const token = parseCookies(request.headers.cookie).get(this.sessionCookie);
    const keys = this.keys.current();
    if (!token || !keys) return;
    const verified = await verifySessionToken(token, keys);
    if (verified.ok) await this.sessions.revokeSession(verified.claims.sid);
  }
}
