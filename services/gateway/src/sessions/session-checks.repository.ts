import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SessionClaims } from '@oo/sessions';
import { Redis } from 'ioredis';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

/** Longer than any session token lives (15 min) plus clock leeway: then the token is dead anyway. */
const REMEMBER_SECONDS = 20 * 60;
const WINDOW_MS = 60_000;
/** "Revoked at" far in the future: every token of the user, whenever issued, is refused. */
const NEVER_AGAIN = '1e15';
/** A refresh token's lifetime (30 days) and a day: no token of the user can exist after it. */
const DELETED_USER_SECONDS = 31 * 24 * 3600;

/** Keys about a user carry a digest of the id: a deleted user's id appears in no key. */
const digest = (userId: string): string => createHash('sha256').update(userId).digest('base64url');

// One round trip per signed-in request: is the session or the user revoked, and may the user
// make another request this minute (a fixed window, count and expiry set atomically)?
const CHECK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return { 'revoked', 0 } end
local revokedAt = redis.call('GET', KEYS[2])
if revokedAt and tonumber(ARGV[1]) <= tonumber(revokedAt) then return { 'revoked', 0 } end
local count = redis.call('INCR', KEYS[3])
if count == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
if count > tonumber(ARGV[3]) then return { 'limited', redis.call('PTTL', KEYS[3]) } end
return { 'ok', 0 }
`;

/** `CHECK` as a script command: EVALSHA sends its digest, not its text, on every request. */
interface CheckCommands {
  gatewaySessionCheck(
    revokedSession: string,
    revokedUser: string,
    rateUser: string,
    issuedAt: number,
    windowMs: number,
    limit: number,
  ): Promise<[string, number]>;
}

export type SessionCheck =
  { outcome: 'ok' } | { outcome: 'revoked' } | { outcome: 'limited'; retryAfterSeconds: number };

/**
 * What several gateway instances must agree on, in Redis: sessions stopped before their token
 * expires (logout, account deletion) and each user's request budget.
 */
@Injectable()
export class SessionChecksRepository {
  private readonly commands: CheckCommands;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {
    redis.defineCommand('gatewaySessionCheck', { numberOfKeys: 3, lua: CHECK });
    this.commands = redis as unknown as CheckCommands;
  }

  async check(claims: SessionClaims): Promise<SessionCheck> {
    const user = digest(claims.sub);
    const [outcome, ttl] = await this.commands.gatewaySessionCheck(
      `oo:gateway:revoked-session:${claims.sid}`,
      `oo:gateway:revoked-user:${user}`,
      `oo:gateway:rate-user:${user}`,
      claims.iat,
      WINDOW_MS,
      this.env.RATE_LIMIT_USER_PER_MINUTE,
    );
    if (outcome === 'revoked') return { outcome };
    if (outcome === 'limited') {
      return { outcome, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    }
    return { outcome: 'ok' };
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.redis.set(`oo:gateway:revoked-session:${sessionId}`, '1', 'EX', REMEMBER_SECONDS);
  }

  /**
   * Every session of a deleted user, those issued until now and any issued later: until auth has
   * purged the user (moments, or longer if auth lags) a refresh could still mint a token. Kept as
   * long as a refresh token lives; by then auth has purged them all.
   */
  async revokeDeletedUser(userId: string): Promise<void> {
    await this.redis.set(
      `oo:gateway:revoked-user:${digest(userId)}`,
      NEVER_AGAIN,
      'EX',
      DELETED_USER_SECONDS,
    );
  }
}
