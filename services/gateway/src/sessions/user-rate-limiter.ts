import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

// A fixed one-minute window per user: the count and its expiry are set in one atomic step.
const CONSUME = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

const WINDOW_MS = 60_000;

/** Requests per signed-in user and minute, shared by every gateway instance. */
@Injectable()
export class UserRateLimiter {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  /** Counts one request; undefined when allowed, else seconds until the window resets. */
  async consume(userId: string): Promise<number | undefined> {
    const [count, ttl] = (await this.redis.eval(
      CONSUME,
      1,
      `oo:gateway:rate-user:${userId}`,
      WINDOW_MS,
    )) as [number, number];
    return count > this.env.RATE_LIMIT_USER_PER_MINUTE
      ? Math.max(1, Math.ceil(ttl / 1000))
      : undefined;
  }
}
