import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { signSessionToken } from '@oo/sessions';
import { v7 as uuidv7 } from 'uuid';
import { AccountRepository, type Account } from '../accounts/account.repository.js';
import { AUTH_ENV, type AuthEnv } from '../config/env.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';

/** Short-lived, so a stolen token is worth little; the refresh token renews it. */
export const SESSION_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 30 * 24 * 3600;

export interface IssuedSession {
  userId: string;
  sessionId: string;
  /** The ES256 JWT for the session cookie. */
  sessionToken: string;
  /** The opaque refresh token for the refresh cookie. */
  refreshToken: string;
}

export type RefreshOutcome =
  | { ok: true; session: IssuedSession }
  | {
      ok: false;
      reason: 'unknown' | 'expired' | 'revoked' | 'replayed' | 'superseded' | 'no_account';
    };

const hash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * A token spent this recently and presented again is a race, not a theft: two tabs of one
 * browser refreshing at once, or a refresh whose answer the browser gave up waiting for. It is
 * refused (the new cookies are already in the browser) but does not end the session.
 */
export const RACE_GRACE_SECONDS = 10;

/**
 * Sessions: a signed JWT plus a rotating refresh token. Each refresh spends the presented token
 * and issues a new one in the same family; presenting a spent token again means it was copied,
 * so the whole family (the session) is revoked.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);

  constructor(
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
    private readonly tokens: RefreshTokenRepository,
    private readonly accounts: AccountRepository,
  ) {}

  async start(account: Account, now = new Date()): Promise<IssuedSession> {
    const sessionId = uuidv7();
    const refreshToken = randomBytes(32).toString('base64url');
    await this.tokens.issue(account.id, sessionId, hash(refreshToken), this.refreshExpiry(now));
    return {
      userId: account.id,
      sessionId,
      refreshToken,
      sessionToken: await this.sign(account, sessionId, now),
    };
  }

  async refresh(refreshToken: string, now = new Date()): Promise<RefreshOutcome> {
    const current = await this.tokens.findByHash(hash(refreshToken));
    if (!current) return { ok: false, reason: 'unknown' };
    if (current.revokedAt) return { ok: false, reason: 'revoked' };
    if (current.rotatedAt) return this.spentAgain(current.familyId, current.rotatedAt, now);
    if (current.expiresAt <= now) return { ok: false, reason: 'expired' };
    // The token names the user as they are now (a renamed user, a new admin, on the next refresh).
    const account = await this.accounts.findById(current.userId);
    if (!account) return { ok: false, reason: 'no_account' };
    const next = randomBytes(32).toString('base64url');
    if (!(await this.tokens.rotate(current, hash(next), this.refreshExpiry(now), now))) {
      // Another request rotated it between our read and our write: the same race.
      return { ok: false, reason: 'superseded' };
    }
    return {
      ok: true,
      session: {
        userId: current.userId,
        sessionId: current.familyId,
        refreshToken: next,
        sessionToken: await this.sign(account, current.familyId, now),
      },
    };
  }

  /** Ends the session the refresh token belongs to. Unknown tokens end nothing, quietly. */
  async end(refreshToken: string, now = new Date()): Promise<void> {
    const current = await this.tokens.findByHash(hash(refreshToken));
    if (current) await this.tokens.revokeFamily(current.familyId, now);
  }

  private spentAgain(familyId: string, rotatedAt: Date, now: Date): Promise<RefreshOutcome> {
    if (now.getTime() - rotatedAt.getTime() <= RACE_GRACE_SECONDS * 1000) {
      return Promise.resolve({ ok: false, reason: 'superseded' });
    }
    return this.replayed(familyId, now);
  }

  private async replayed(familyId: string, now: Date): Promise<RefreshOutcome> {
    await this.tokens.revokeFamily(familyId, now);
    this.logger.warn(
      `session ${familyId}: a spent refresh token was presented again; session revoked`,
    );
    return { ok: false, reason: 'replayed' };
  }

  private sign(account: Account, sessionId: string, now: Date): Promise<string> {
    const [active] = this.env.SESSION_SIGNING_KEYS;
    const admin = this.env.ADMIN_EMAILS.has(account.email.toLowerCase());
    return signSessionToken(
      active!,
      {
        userId: account.id,
        sessionId,
        name: account.name,
        email: account.email,
        roles: admin ? ['admin'] : [],
      },
      SESSION_TTL_SECONDS,
      now,
    );
  }

  private refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + REFRESH_TTL_SECONDS * 1000);
  }
}
