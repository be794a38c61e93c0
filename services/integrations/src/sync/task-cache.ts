import { todoistKeys } from '../todoist/todoist-keys.js';
import { Injectable } from '@nestjs/common';
import type { IntegrationsTasksResponse } from '@oo/contracts';
import { Redis } from 'ioredis';

/** What `rpc.integrations.tasks` answers, as cached, with when it is due for a refresh. */
export interface CachedTasks extends IntegrationsTasksResponse {
  /** Epoch ms after which the set is stale: read Todoist again (in the background). */
  refreshAfter: number;
}

/** How long a cached set counts as fresh (ARCHITECTURE.md §12: 30 s). */
export const TASKS_FRESH_MS = 30_000;

/**
 * Kept well past freshness: a stale set is still answered at once while a refresh runs, and
 * Postgres (`task_snapshot`) holds it anyway when this expires.
 */
const CACHE_TTL_SECONDS = 24 * 60 * 60;

/**
 * The user's open tasks in Redis, so `rpc.integrations.tasks` answers without Postgres or
 * Todoist. WARNING: stored data; the key is `oo:integrations:todoist:{<userId>}:tasks`.
 */
@Injectable()
export class TaskCache {
  constructor(private readonly redis: Redis) {}

  async read(userId: string): Promise<CachedTasks | undefined> {
    const raw = await this.redis.get(cacheKey(userId));
    return raw ? (JSON.parse(raw) as CachedTasks) : undefined;
  }

  async write(userId: string, entry: CachedTasks): Promise<void> {
    await this.redis.set(cacheKey(userId), JSON.stringify(entry), 'EX', CACHE_TTL_SECONDS);
  }

  /** Writes only when the user has no entry: a backfill never replaces a newer sync's. */
  async fill(userId: string, entry: CachedTasks): Promise<void> {
    await this.redis.set(cacheKey(userId), JSON.stringify(entry), 'EX', CACHE_TTL_SECONDS, 'NX');
  }

  /**
   * Makes the next `rpc.integrations.tasks` refresh the set in the background (a webhook said
   * a task was added, changed or deleted). No-op when nothing is cached.
   */
  async markStale(userId: string): Promise<void> {
    const entry = await this.read(userId);
    if (!entry) return;
    // XX: only over an entry still there — a removal's DEL between the read and this write
    // must not bring a removed user's tasks back.
    await this.redis.set(
      cacheKey(userId),
      JSON.stringify({ ...entry, refreshAfter: 0 }),
      'EX',
      CACHE_TTL_SECONDS,
      'XX',
    );
  }

  async forget(userId: string): Promise<void> {
    await this.redis.del(cacheKey(userId));
  }
}

export const cacheKey = todoistKeys.tasks;

export function isStale(entry: CachedTasks, now = Date.now()): boolean {
  return now >= entry.refreshAfter;
}
