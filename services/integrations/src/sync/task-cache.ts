import { readFileSync } from 'node:fs';
import { todoistKeys } from '../todoist/todoist-keys.js';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { IntegrationsTasksResponse } from '@oo/contracts';
import { Redis } from 'ioredis';
import { ParsedEntries } from './parsed-entries.js';

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
const IDLE_SWEEP_MS = 60_000;

/**
 * The user's open tasks in Redis, so `rpc.integrations.tasks` answers without Postgres or
 * Todoist. WARNING: stored data; the key is `oo:integrations:todoist:{<userId>}:tasks`.
 */
@Injectable()
export class TaskCache implements OnModuleDestroy {
  private readonly parsed = new ParsedEntries();
  private readonly commands: ReadCommands;
  /** An instance nobody reads from still lets idle parsed sets go (unref'd: keeps no process up). */
  private readonly idleSweep = setInterval(() => this.parsed.dropIdle(), IDLE_SWEEP_MS).unref();

  constructor(private readonly redis: Redis) {
    redis.defineCommand('readTaskCache', {
      numberOfKeys: 2,
      lua: readFileSync(new URL('./lua/read-tasks.lua', import.meta.url), 'utf8'),
    });
    this.commands = redis as ReadCommands;
  }

  /**
   * The cached set, without the tasks completed since it was read from Todoist. Frozen, and
   * the same object while neither changes: the text is read from Redis every time (another
   * instance may have changed it), but parsed only when it differs from the last read's.
   */
  async read(userId: string): Promise<CachedTasks | undefined> {
    // One script rather than a pipeline of GET and ZRANGEBYSCORE: this runs on every call.
    const [raw, hidden] = await this.commands.readTaskCache(
      cacheKey(userId),
      todoistKeys.completedTasks(userId),
      Date.now(),
    );
    if (!raw) {
      this.parsed.forget(userId);
      return undefined;
    }
    return this.parsed.entry(userId, raw, hidden);
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

  onModuleDestroy(): void {
    clearInterval(this.idleSweep);
  }

  async forget(userId: string): Promise<void> {
    await this.redis.del(cacheKey(userId));
    this.parsed.forget(userId);
  }
}

export const cacheKey = todoistKeys.tasks;

type ReadCommands = Redis & {
  readTaskCache(
    setKey: string,
    hiddenKey: string,
    now: number,
  ): Promise<[set: string | null, hidden: string[]]>;
};

export function isStale(entry: CachedTasks, now = Date.now()): boolean {
  return now >= entry.refreshAfter;
}
