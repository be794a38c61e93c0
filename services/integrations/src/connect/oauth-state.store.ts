import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Who asked for the authorize URL: the callback must come back from the same session. */
export interface StateBinding {
  userId: string;
  sessionId: string;
  provider: string;
}

/** How long a user has to answer the provider's consent page. */
export const STATE_TTL_SECONDS = 600;

/**
 * OAuth `state` values, in Redis, single use: `issue` stores a random state bound to the user,
 * session and provider for 10 minutes; `consume` takes it with GETDEL, so two callbacks
 * racing with the same state cannot both succeed, and a replayed callback finds nothing.
 */
@Injectable()
export class OAuthStateStore {
  constructor(private readonly redis: Redis) {}

  async issue(binding: StateBinding): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    await this.redis.set(key(state), JSON.stringify(binding), 'EX', STATE_TTL_SECONDS);
    return state;
  }

  /** The binding of a state, removed in the same step; undefined when unknown or expired. */
  async consume(state: string): Promise<StateBinding | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(state)) return undefined;
    const stored = await this.redis.getdel(key(state));
    return stored === null ? undefined : (JSON.parse(stored) as StateBinding);
  }
}

function key(state: string): string {
  return `oo:integrations:oauth-state:${state}`;
}
