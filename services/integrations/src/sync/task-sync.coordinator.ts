import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { IntegrationsTasksResponse } from '@oo/contracts';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { SyncLock } from './sync-lock.js';
import { SyncService, TODOIST, shownStatus } from './sync.service.js';
import { TASKS_FRESH_MS, TaskCache, isStale, type CachedTasks } from './task-cache.js';
import { TaskPayloadCap } from './task-payload-cap.js';
import { TaskSnapshotRepository } from './task-snapshot.repository.js';

/** How long a caller waits for a user's very first sync before answering `syncing`. */
export const FIRST_SYNC_WAIT_MS = 20_000;
/** How often a caller waiting on another instance's sync looks at the cache. */
const WAIT_POLL_MS = 100;
/**
 * How long a `syncSoon` waits, so that changes arriving together make one Todoist read (a
 * project deleted sends one webhook per task).
 */
const SYNC_SOON_DELAY_MS = 1_000;
/** How many times `syncSoon` waits out a sync already running before it gives up. */
const SYNC_SOON_ATTEMPTS = 5;

const NOT_CONNECTED: IntegrationsTasksResponse = {
  tasks: [],
  syncedAt: null,
  status: 'not_connected',
};

type SyncRun = CachedTasks | 'not_connected' | 'busy';

/**
 * The reply made from each cache entry: `TaskCache` hands out the same entry while the set is
 * unchanged, so every call for it answers the same (frozen) object, serialized once.
 */
const replies = new WeakMap<CachedTasks, IntegrationsTasksResponse>();

/**
 * Answers "the user's open tasks" from the cache at once and keeps it fresh, with at most one
 * sync per user running anywhere: a Redis lock across instances, and one promise per user
 * within this one, so a burst of calls costs Todoist one read.
 */
@Injectable()
export class TaskSyncCoordinator implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TaskSyncCoordinator.name);
  private readonly inFlight = new Map<string, Promise<SyncRun>>();
  private readonly soon = new Map<string, NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly syncs: SyncService,
    private readonly lock: SyncLock,
    private readonly cache: TaskCache,
    private readonly snapshots: TaskSnapshotRepository,
    private readonly connections: ConnectionRepository,
    private readonly payloadCap: TaskPayloadCap,
  ) {}

  /**
   * The cached set at once (stale ones refreshed in the background); Postgres's snapshot when
   * the cache has none; a wait for a sync only when there is no snapshot at all. With
   * `taskIds`, only those of them still open, and otherwise the same answer.
   */
  async tasks(userId: string, taskIds?: readonly string[]): Promise<IntegrationsTasksResponse> {
    const answer = await this.allTasks(userId);
    return taskIds ? onlyListed(answer, taskIds) : answer;
  }

  private async allTasks(userId: string): Promise<IntegrationsTasksResponse> {
    const cached = await this.cache.read(userId);
    if (cached) return this.answer(userId, cached);

    const connection = await this.connections.find(userId, TODOIST);
    if (!connection) return NOT_CONNECTED;
    const snapshot = await this.snapshots.find(userId, TODOIST);
    if (snapshot) {
      const entry: CachedTasks = {
        // The snapshot holds every open task; the reply carries what fits in one message.
        tasks: this.payloadCap.cap(userId, snapshot.tasks),
        syncedAt: snapshot.syncedAt.toISOString(),
        status: shownStatus(connection.status, true),
        refreshAfter: snapshot.syncedAt.getTime() + TASKS_FRESH_MS,
      };
      // Only if no sync has cached a newer set meanwhile.
      await this.cache.fill(userId, entry);
      // Removed meanwhile (its keys deleted before our fill): keep no titles of theirs.
      if (!(await this.connections.find(userId, TODOIST))) {
        await this.cache.forget(userId);
        return NOT_CONNECTED;
      }
      // Read back: a newer set may have won the fill, and tasks just done stay hidden.
      return this.answer(userId, (await this.cache.read(userId)) ?? entry);
    }
    return this.firstSync(userId);
  }

  /** Syncs now unless another sync is running (then that one's result will do). */
  async syncNow(userId: string): Promise<void> {
    await this.syncOnce(userId, { force: true });
  }

  /**
   * A sync in a moment, in the background; calls for the same user meanwhile join it. For a
   * change that readers of `task.synced` must learn of without anyone asking for the tasks: a
   * task deleted at Todoist (the recommender ends a tip on it when the set without it is
   * published). A sync already running (here, or elsewhere: the lock) may have read Todoist
   * before the change, so it is waited out and this one runs after it, a few times at most.
   */
  syncSoon(userId: string, attempt = 1): void {
    if (this.closing || this.soon.has(userId)) return;
    const again = () => {
      if (attempt < SYNC_SOON_ATTEMPTS) this.syncSoon(userId, attempt + 1);
    };
    const timer = setTimeout(() => {
      this.soon.delete(userId);
      if (this.inFlight.has(userId)) return again();
      this.syncOnce(userId, { force: true }).then(
        (run) => {
          if (run === 'busy') again();
        },
        (error: unknown) => this.logger.error(`Sync of ${userId} failed: ${String(error)}`),
      );
    }, SYNC_SOON_DELAY_MS);
    this.soon.set(userId, timer);
  }

  private answer(userId: string, entry: CachedTasks): IntegrationsTasksResponse {
    if (isStale(entry)) this.refreshInBackground(userId);
    let reply = replies.get(entry);
    if (!reply) {
      const { tasks, syncedAt, status } = entry;
      reply = Object.freeze({ tasks, syncedAt, status });
      replies.set(entry, reply);
    }
    return reply;
  }

  private refreshInBackground(userId: string): void {
    this.syncOnce(userId, { force: false }).catch((error: unknown) =>
      this.logger.error(`Background sync of ${userId} failed: ${String(error)}`),
    );
  }

  /** Waits, bounded, for the sync this call or another instance runs. */
  private async firstSync(userId: string): Promise<IntegrationsTasksResponse> {
    const deadline = Date.now() + FIRST_SYNC_WAIT_MS;
    for (;;) {
      const run = await this.syncOnce(userId, { force: false });
      if (run === 'not_connected') return NOT_CONNECTED;
      if (run !== 'busy') return this.answer(userId, run);
      const cached = await this.cache.read(userId);
      if (cached) return this.answer(userId, cached);
      if (Date.now() >= deadline) return { tasks: [], syncedAt: null, status: 'syncing' };
      await sleep(WAIT_POLL_MS);
    }
  }

  /**
   * Syncs still running (background refreshes nobody awaits) finish before the service closes
   * its Redis and Postgres clients: cut off, one would fail midway and hold its user's lock
   * until the lock expires.
   */
  async beforeApplicationShutdown(): Promise<void> {
    // Syncs not started yet are left to the next one (reconcile's, or a read's).
    this.closing = true;
    for (const timer of this.soon.values()) clearTimeout(timer);
    this.soon.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** One sync of the user at a time: joins this instance's, or takes the Redis lock. */
  private syncOnce(userId: string, options: { force: boolean }): Promise<SyncRun> {
    const running = this.inFlight.get(userId);
    if (running) return running;
    const run = this.lockedSync(userId, options).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, run);
    return run;
  }

  private async lockedSync(userId: string, { force }: { force: boolean }): Promise<SyncRun> {
    const token = await this.lock.acquire(userId);
    if (!token) return 'busy';
    try {
      // Another instance may have finished a sync between our look at the cache and the lock.
      const cached = force ? undefined : await this.cache.read(userId);
      if (cached && !isStale(cached)) return cached;
      return (await this.syncs.sync(userId)) ?? 'not_connected';
    } finally {
      await this.lock.release(userId, token);
    }
  }
}

function onlyListed(
  answer: IntegrationsTasksResponse,
  taskIds: readonly string[],
): IntegrationsTasksResponse {
  const listed = new Set(taskIds);
  return { ...answer, tasks: answer.tasks.filter((task) => listed.has(task.taskId)) };
}
