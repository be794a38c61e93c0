import { Inject, Injectable } from '@nestjs/common';
import type { SessionClaims } from '@oo/sessions';
import { Redis } from 'ioredis';

/** Longer than any session token lives (15 min) plus clock leeway: then the token is dead anyway. */
const REMEMBER_SECONDS = 20 * 60;

/**
 * Sessions that must stop before their token expires (logout, account deletion), shared by
 * every gateway instance through Redis.
 */
@Injectable()
export class RevocationsRepository {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async revokeSession(sessionId: string): Promise<void> {
    await this.redis.set(`oo:gateway:revoked-session:${sessionId}`, '1', 'EX', REMEMBER_SECONDS);
  }

  /** Every session of the user issued until now. */
  async revokeUser(userId: string, now = new Date()): Promise<void> {
    const seconds = String(Math.ceil(now.getTime() / 1000));
    await this.redis.set(`oo:gateway:revoked-user:${userId}`, seconds, 'EX', REMEMBER_SECONDS);
  }

  async isRevoked(claims: SessionClaims): Promise<boolean> {
    const [session, user] = await this.redis.mget(
      `oo:gateway:revoked-session:${claims.sid}`,
      `oo:gateway:revoked-user:${claims.sub}`,
    );
    return session !== null || (user !== null && claims.iat <= Number(user));
  }
}
