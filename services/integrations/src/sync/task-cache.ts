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
 * How long a task completed by a webhook or by oO's own close stays out of the cached set:
 * longer than a sync takes to see it gone, so the next tip never offers a task just done.
 */
const COMPLETED_HIDDEN_MS = 10 * 60_000;

/**
 * The user's open tasks in Redis, so `rpc.integrations.tasks` answers without Postgres or
 * Todoist. WARNING: stored data; the key is `oo:integrations:todoist:{<userId>}:tasks`.
 */
@Injectable()
export class TaskCache {
  constructor(private readonly redis: Redis) {}

  /** The cached set, without the tasks completed since it was read from Todoist. */
  async read(userId: string): Promise<CachedTasks | undefined> {
    const replies = await this.redis
      .pipeline()
      .get(cacheKey(userId))
      .zrangebyscore(todoistKeys.completedTasks(userId), Date.now(), '+inf')
      .exec();
    const [[readError, raw], [hiddenError, hidden]] = replies as [
      [Error | null, string | null],
      [Error | null, string[]],
    ];
    if (readError) throw readError;
    if (hiddenError) throw hiddenError;
    if (!raw) return undefined;
    const entry = JSON.parse(raw) as CachedTasks;
    if (hidden.length === 0) return entry;
    const completed = new Set(hidden);
    return { ...entry, tasks: entry.tasks.filter((task) => !completed.has(task.taskId)) };
  }

  /**
   * A task was completed or deleted (a webhook said so, or oO closed it): it leaves the answered set at
   * once — the cached set is Todoist's as of the last sync, which still lists it — and the
   * next read refreshes it. A recurring task (open again with its next due) stays hidden
   * for those minutes too: it was just done. Each id is hidden until its own deadline (the
   * score), so a busy user's later completions do not keep earlier ones hidden.
   */
  async hideDone(userId: string, taskId: string): Promise<void> {
    const key = todoistKeys.completedTasks(userId);
    const now = Date.now();
    await this.redis
      .multi()
      .zremrangebyscore(key, '-inf', now)
      .zadd(key, now + COMPLETED_HIDDEN_MS, taskId)
      .pexpire(key, COMPLETED_HIDDEN_MS)
      .exec();
    await this.markStale(userId);
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
    const raw = await this.redis.get(cacheKey(userId));
    if (!raw) return;
    // XX: only over an entry still there — a removal's DEL between the read and this write
    // must not bring a removed user's tasks back.
    await this.redis.set(
      cacheKey(userId),
      JSON.stringify({ ...(JSON.parse(raw) as CachedTasks), refreshAfter: 0 }),
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
