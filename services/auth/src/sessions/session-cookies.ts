import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  cookieNames,
  expiredCookie,
  parseCookies,
  serializeCookie,
  type CookieNames,
} from '@oo/sessions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_ENV, type AuthEnv } from '../config/env.js';
import { REFRESH_TTL_SECONDS, SESSION_TTL_SECONDS, type IssuedSession } from './session.service.js';

/** Puts a session into cookies and takes it out again (names and flags: ARCHITECTURE.md §4). */
@Injectable()
export class SessionCookies {
  private readonly production: boolean;
  private readonly names: CookieNames;

  constructor(@Inject(AUTH_ENV) env: AuthEnv) {
    this.production = env.OO_ENV === 'production';
    this.names = cookieNames(this.production);
  }

  set(reply: FastifyReply, session: IssuedSession): void {
    const secure = this.production;
    void reply.header('set-cookie', [
      serializeCookie(this.names.session, session.sessionToken, {
        maxAgeSeconds: SESSION_TTL_SECONDS,
        httpOnly: true,
        secure,
        sameSite: 'Lax',
      }),
      serializeCookie(this.names.refresh, session.refreshToken, {
        maxAgeSeconds: REFRESH_TTL_SECONDS,
        httpOnly: true,
        secure,
        sameSite: 'Strict',
      }),
      serializeCookie(this.names.csrf, randomBytes(18).toString('base64url'), {
        maxAgeSeconds: REFRESH_TTL_SECONDS,
        httpOnly: false,
        secure,
        sameSite: 'Lax',
      }),
    ]);
  }

  clear(reply: FastifyReply): void {
    void reply.header(
      'set-cookie',
      [this.names.session, this.names.refresh, this.names.csrf].map((name) =>
        expiredCookie(name, this.production),
      ),
    );
  }

  refreshToken(request: FastifyRequest): string | undefined {
    return parseCookies(request.headers.cookie).get(this.names.refresh) || undefined;
  }
}
