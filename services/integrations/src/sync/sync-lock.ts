import { todoistKeys } from '../todoist/todoist-keys.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * Longer than a sync can take (3 pages, each up to 3 attempts of `TODOIST_TIMEOUT_MS`), so
 * the lock does not lapse under a slow sync; a crashed holder's lock lapses by itself.
 */
export const SYNC_LOCK_MS = 120_000;

type LockCommands = Redis & {
  releaseSyncLock(key: string, token: string): Promise<number>;
};

/**
 * One sync per user at a time across every instance: `SET NX PX` with a random token, freed
 * by a compare-and-delete script so a holder never frees a lock that lapsed and was taken.
 * WARNING: stored data; the key is `oo:integrations:todoist:{<userId>}:sync-lock`.
 */
@Injectable()
export class SyncLock {
  private readonly commands: LockCommands;

  constructor(redis: Redis) {
    redis.defineCommand('releaseSyncLock', {
      numberOfKeys: 1,
      lua: readFileSync(new URL('./lua/release-lock.lua', import.meta.url), 'utf8'),
    });
    this.commands = redis as LockCommands;
  }

  /** The holder's token when taken; undefined when another holds it. */
  async acquire(userId: string, ttlMs = SYNC_LOCK_MS): Promise<string | undefined> {
    const token = randomUUID();
    const taken = await this.commands.set(lockKey(userId), token, 'PX', ttlMs, 'NX');
    return taken === 'OK' ? token : undefined;
  }

  async release(userId: string, token: string): Promise<void> {
    await this.commands.releaseSyncLock(lockKey(userId), token);
  }
}

const lockKey = todoistKeys.syncLock;
