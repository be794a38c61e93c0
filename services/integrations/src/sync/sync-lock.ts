import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { todoistKeys } from '../todoist/todoist-keys.js';

/**
 * Longer than a sync can take (3 pages, each up to 3 attempts of `TODOIST_TIMEOUT_MS`), so
 * the lock does not lapse under a slow sync; a crashed holder's lock lapses by itself.
 */
export const SYNC_LOCK_MS = 120_000;

type LockCommands = Redis & {
  releaseUserLock(key: string, token: string): Promise<number>;
};

/**
 * One holder per user across every instance: `SET NX PX` with a random token, freed by a
 * compare-and-delete script so a holder never frees a lock that lapsed and was taken.
 */
export class UserLock {
  private readonly commands: LockCommands;

  constructor(
    redis: Redis,
    private readonly keyOf: (userId: string) => string,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('releaseUserLock', {
      numberOfKeys: 1,
      lua: readFileSync(new URL('./lua/release-lock.lua', import.meta.url), 'utf8'),
    });
    this.commands = redis as LockCommands;
  }

  /** The holder's token when taken; undefined when another holds it. */
  async acquire(userId: string, ttlMs = this.ttlMs): Promise<string | undefined> {
    const token = randomUUID();
    const taken = await this.commands.set(this.keyOf(userId), token, 'PX', ttlMs, 'NX');
    return taken === 'OK' ? token : undefined;
  }

  async release(userId: string, token: string): Promise<void> {
    await this.commands.releaseUserLock(this.keyOf(userId), token);
  }
}

/**
 * One sync per user at a time across every instance (a removal takes it too).
 * WARNING: stored data; the key is `oo:integrations:todoist:{<userId>}:sync-lock`.
 */
@Injectable()
export class SyncLock extends UserLock {
  constructor(redis: Redis) {
    super(redis, todoistKeys.syncLock, SYNC_LOCK_MS);
  }
}
