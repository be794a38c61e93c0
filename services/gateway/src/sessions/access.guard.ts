import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROUTE_ACCESS, type RouteAccess } from '@oo/access';
import { httpError } from '@oo/platform';
import { cookieNames, parseCookies, type CookieNames } from '@oo/sessions';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import type { SessionRequest } from './current-session.js';
import { SessionChecksRepository } from './session-checks.repository.js';
import { SessionKeysService } from './session-keys.service.js';
import { VerifiedSessions } from './verified-sessions.js';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every HTTP request passes here. A route without @Public() or @SignedIn() is refused. A
 * mutation from a browser page of another origin is refused. A signed-in route needs a session
 * token that verifies with auth's public keys and was not revoked, and a mutation also needs
 * `X-OO-CSRF` equal to the `oo_csrf` cookie (double submit).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly names: CookieNames;
  private readonly origin: string;
  private readonly sessions = new VerifiedSessions();

  constructor(
    @Inject(GATEWAY_ENV) env: GatewayEnv,
    private readonly reflector: Reflector,
    private readonly keys: SessionKeysService,
    private readonly checks: SessionChecksRepository,
  ) {
    this.names = cookieNames(env.OO_ENV === 'production');
    this.origin = new URL(env.PUBLIC_URL).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) throw httpError(500, 'internal', 'This route declares no access rule');
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const mutation = MUTATIONS.has(request.method);
    const origin = request.headers.origin;
    if (mutation && origin !== undefined && origin !== this.origin) {
      throw httpError(403, 'forbidden', 'Requests from another site are not accepted');
    }
    // A browser that sends no Origin still says where the request comes from.
    const site = request.headers['sec-fetch-site'];
    if (mutation && origin === undefined && site !== undefined && site !== 'same-origin') {
      throw httpError(403, 'forbidden', 'Requests from another site are not accepted');
    }
    if (access === 'public') return true;

    const cookies = parseCookies(request.headers.cookie);
    const token = cookies.get(this.names.session);
    if (!token) throw httpError(401, 'unauthenticated', 'Sign in first');
    const keys = this.keys.current();
    if (!keys) throw httpError(503, 'unavailable', 'Sessions cannot be verified yet; try again');
    const verified = await this.sessions.verify(token, keys);
    if (!verified.ok) {
      throw httpError(401, 'unauthenticated', `The session is not valid (${verified.reason})`);
    }
    const check = await this.checks.check(verified.claims);
    if (check.outcome === 'revoked') {
      throw httpError(401, 'unauthenticated', 'The session has ended; sign in again');
    }
    if (check.outcome === 'limited') {
      throw httpError(
        429,
        'rate_limited',
        `Too many requests; try again in ${check.retryAfterSeconds} s`,
      );
    }
    if (mutation && !sameToken(request.headers['x-oo-csrf'], cookies.get(this.names.csrf))) {
      throw httpError(403, 'forbidden', 'X-OO-CSRF must match the oo_csrf cookie');
    }
    request.session = {
      userId: verified.claims.sub,
      sessionId: verified.claims.sid,
      expiresAt: new Date(verified.claims.exp * 1000).toISOString(),
      name: verified.claims.name ?? '',
      email: verified.claims.email ?? '',
      roles: verified.claims.roles ?? [],
    };
    return true;
  }
}

function sameToken(header: string | string[] | undefined, cookie: string | undefined): boolean {
  if (typeof header !== 'string' || !cookie || header.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(header), Buffer.from(cookie));
}
