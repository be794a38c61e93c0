import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PopulationPrior } from '@oo/learning';
import { Redis } from 'ioredis';
import { PRIOR_KEY, PRIOR_LOCK_KEY } from './scorer-keys.js';

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

  /** One instance estimates at a time; the lock expires by itself if that instance dies. */
  async tryLock(ttlMs: number): Promise<boolean> {
    return (await this.redis.set(PRIOR_LOCK_KEY, this.owner, 'PX', ttlMs, 'NX')) === 'OK';
  }
}
