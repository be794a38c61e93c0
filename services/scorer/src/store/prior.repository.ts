import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PopulationPrior } from '@oo/learning';
import { Redis } from 'ioredis';
import { PRIOR_KEY, PRIOR_LOCK_KEY, PRIOR_MARK_KEY, PRIOR_UPDATES_KEY } from './scorer-keys.js';

/** Where the last estimate stood: the update count it saw, when (ms), and how long it took. */
export interface EstimateMark {
  updates: number;
  at: number;
  /** Unset in marks written before estimates were timed. */
  tookMs?: number;
}

/** The population priors in Redis, shared by every scorer instance. */
@Injectable()
export class PriorRepository {
  private readonly owner = randomUUID();

  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async get(policy: string): Promise<PopulationPrior | undefined> {
    const stored = await this.redis.get(PRIOR_KEY(policy));
    return stored ? (JSON.parse(stored) as PopulationPrior) : undefined;
  }

  async save(policy: string, prior: PopulationPrior): Promise<void> {
    await this.redis.set(PRIOR_KEY(policy), JSON.stringify(prior));
  }

  async remove(policy: string): Promise<void> {
    await this.redis.del(PRIOR_KEY(policy));
  }

  /** Adds this instance's model updates since it last said so; answers the total. */
  async countUpdates(count: number): Promise<number> {
    return count > 0
      ? this.redis.incrby(PRIOR_UPDATES_KEY, count)
      : Number((await this.redis.get(PRIOR_UPDATES_KEY)) ?? 0);
  }

  async mark(): Promise<EstimateMark | undefined> {
    const stored = await this.redis.get(PRIOR_MARK_KEY);
    return stored ? (JSON.parse(stored) as EstimateMark) : undefined;
  }

  async setMark(mark: EstimateMark): Promise<void> {
    await this.redis.set(PRIOR_MARK_KEY, JSON.stringify(mark));
  }

  /** One instance estimates at a time; the lock expires by itself if that instance dies. */
  async tryLock(ttlMs: number): Promise<boolean> {
    return (await this.redis.set(PRIOR_LOCK_KEY, this.owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Gives the lock back, if this instance still holds it. */
  async unlock(): Promise<void> {
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      PRIOR_LOCK_KEY,
      this.owner,
    );
  }
}
