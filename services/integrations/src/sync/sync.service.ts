import { Injectable, Logger } from '@nestjs/common';
import { createEnvelope, type IntegrationsTasksResponse } from '@oo/contracts';
import { EventPublisher } from '@oo/messaging';
import { v5 as uuidv5 } from 'uuid';
import {
  ConnectionRepository,
  type ConnectionStatus,
} from '../connections/connection.repository.js';
import { SnapshotReconciler } from '../reconcile/snapshot-reconciler.js';
import { normaliseTask, taskSetDigest } from '../todoist/normalise.js';
import { TodoistApiClient } from '../todoist/todoist-api.client.js';
import {
  TodoistRateLimited,
  TodoistRequestRejected,
  TodoistUnauthorized,
  TodoistUnavailable,
} from '../todoist/todoist-errors.js';
import { TASKS_FRESH_MS, TaskCache, type CachedTasks } from './task-cache.js';
import { TaskPayloadCap, snapshotTasks } from './task-payload-cap.js';
import { TaskSnapshotRepository, type TaskSnapshot } from './task-snapshot.repository.js';
import { TokenSource } from './token-source.js';

export const TODOIST = 'todoist';

/** Names `task.synced` event ids derived from the sync they report (uuid v5). */
const TASK_SYNCED_NAMESPACE = '3b8f5a2e-9c1d-4e7a-b6f0-5d2c8e4a1f93';

/**
 * Reads a user's open tasks from Todoist into `task_snapshot` (all of them) and the Redis
 * cache (those that fit in one NATS message), and publishes `signals.task.synced.<userId>`
 * (the same capped set) when that set changed. One sync per user at a time
 * is the caller's job (`TaskSyncCoordinator` holds the per-user lock).
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly tokens: TokenSource,
    private readonly todoist: TodoistApiClient,
    private readonly snapshots: TaskSnapshotRepository,
    private readonly cache: TaskCache,
    private readonly publisher: EventPublisher,
    private readonly reconciler: SnapshotReconciler,
    private readonly payloadCap: TaskPayloadCap,
  ) {}

  /**
   * Syncs and returns what it cached; undefined when the user is not connected. A refusal or
   * an outage of Todoist is not thrown: the old snapshot stays, the connection's status says
   * what happened (401 that a token refresh did not cure → needs_reconnect, 429 →
   * rate_limited, 5xx or a token endpoint that is down → unchanged).
   */
  async sync(userId: string): Promise<CachedTasks | undefined> {
    const connection = await this.connections.find(userId, TODOIST);
    if (!connection) return undefined;
    const previous = await this.snapshots.find(userId, TODOIST);
    // Asking again with a token Todoist refused only spends budget; connecting again (or a
    // token refresh) sets the status back to ok.
    if (connection.status === 'needs_reconnect') {
      return this.cacheOutcome(userId, previous, 'needs_reconnect', Date.now() + TASKS_FRESH_MS);
    }
    // `task.synced`'s time: the set is Todoist's as of no earlier than this. A reader that
    // compares it with its own decisions (the recommender ends a tip whose task left) must not
    // take a listing begun before a decision for one read after it.
    const listingFrom = new Date();
    let listed;
    try {
      listed = await this.tokens.withAccessToken(userId, TODOIST, (token) =>
        this.todoist.listOpenTasks({ userId, token }),
      );
    } catch (error) {
      return this.failed(userId, previous, connection.status, error);
    }
    if (listed === undefined) return undefined;

    const syncedAt = new Date();
    const open = listed.map((task) => normaliseTask(task, syncedAt.toISOString()));
    // Only what goes on the wire (`task.synced`, the cache the RPC answers from) is capped to
    // one NATS message; the snapshot keeps every open task, so a done on a task left out of
    // the message still closes it, and reconcile compares against the real open set.
    const tasks = this.payloadCap.cap(userId, open);
    // Over the published set: "changed" means what the recommender sees changed.
    const digest = taskSetDigest(tasks);
    // Before the snapshot is replaced: the old one is what tells which tasks vanished. It
    // never throws, and keeps what it could not settle for the next sync.
    await this.reconciler.afterSync({
      userId,
      provider: TODOIST,
      previous,
      // Every open task, not only those that fit a message: one left out is not gone.
      current: open,
      syncedAt,
      updatedAt: new Map(
        listed.flatMap((task) => (task.updated_at ? [[task.id, task.updated_at]] : [])),
      ),
    });
    if (digest !== previous?.digest) {
      // Removed while Todoist was read (a removal waits for the sync lock, but only so long):
      // no task titles may be published for a user who is gone.
      if (!(await this.connections.find(userId, TODOIST))) return undefined;
      // Published before the snapshot holds the new digest: a crash in between leaves the
      // old digest, so the next sync publishes again — under the same id (derived from the
      // snapshot it replaces and the new digest), which the stream drops as a duplicate.
      await this.publisher.publishEnvelope(
        createEnvelope(
          'task.synced',
          userId,
          { source: TODOIST, tasks },
          { id: taskSyncedEventId(userId, previous, digest), occurredAt: listingFrom },
        ),
      );
    }
    const saved = await this.snapshots.save(userId, TODOIST, {
      tasks: snapshotTasks(open),
      digest,
      syncedAt,
    });
    // Disconnected (or deleted) since the read: nothing of the tasks may be kept or cached.
    if (!saved) return undefined;
    await this.connections.markSynced(userId, TODOIST, syncedAt);
    const entry: CachedTasks = {
      tasks,
      syncedAt: syncedAt.toISOString(),
      status: 'ok',
      refreshAfter: syncedAt.getTime() + TASKS_FRESH_MS,
    };
    return this.cacheWhileConnected(userId, entry);
  }

  private async failed(
    userId: string,
    previous: TaskSnapshot | undefined,
    status: ConnectionStatus,
    error: unknown,
  ): Promise<CachedTasks | undefined> {
    // 401 that a refresh did not cure, or 403 on listing tasks: the grant lacks the scope to
    // read them. Either way only the user reconnecting helps.
    const forbidden = error instanceof TodoistRequestRejected && error.status === 403;
    if (error instanceof TodoistUnauthorized || forbidden) {
      this.logger.warn(`Todoist refused the token of ${userId}: needs_reconnect`);
      await this.connections.setStatus(userId, TODOIST, 'needs_reconnect');
      return this.cacheOutcome(userId, previous, 'needs_reconnect', Date.now() + TASKS_FRESH_MS);
    }
    if (error instanceof TodoistRateLimited) {
      this.logger.warn(
        `Sync of ${userId} rate-limited (${error.origin}) for ${error.retryAfterSeconds} s`,
      );
      await this.connections.setStatus(userId, TODOIST, 'rate_limited');
      const retryAt = Date.now() + Math.max(error.retryAfterSeconds * 1000, TASKS_FRESH_MS);
      return this.cacheOutcome(userId, previous, 'rate_limited', retryAt);
    }
    if (error instanceof TodoistUnavailable) {
      this.logger.warn(`Sync of ${userId} failed, old snapshot kept: ${error.message}`);
      return this.cacheOutcome(userId, previous, status, Date.now() + TASKS_FRESH_MS);
    }
    throw error;
  }

  /** Caches the snapshot we still have with the status the attempt left. */
  private async cacheOutcome(
    userId: string,
    previous: TaskSnapshot | undefined,
    status: ConnectionStatus,
    refreshAfter: number,
  ): Promise<CachedTasks | undefined> {
    const entry: CachedTasks = {
      // The snapshot holds every open task; the cache only what fits in one reply.
      tasks: this.payloadCap.cap(userId, previous?.tasks ?? []),
      syncedAt: previous?.syncedAt.toISOString() ?? null,
      status: shownStatus(status, previous !== undefined),
      refreshAfter,
    };
    return this.cacheWhileConnected(userId, entry);
  }

  /**
   * Caches the entry unless the user's connection was removed meanwhile (then undefined, as for
   * a user not connected). Nothing holds the connection during a sync, and a removal deletes
   * the user's Redis keys once, after its transaction: a write landing after that DEL would
   * keep task titles of a removed user for a day. Checked after the write, not before, so no
   * lock is needed: the removal deletes the row before the keys, so either its DEL comes after
   * our write or this read sees the connection gone and takes the entry back.
   */
  private async cacheWhileConnected(
    userId: string,
    entry: CachedTasks,
  ): Promise<CachedTasks | undefined> {
    await this.cache.write(userId, entry);
    if (await this.connections.find(userId, TODOIST)) return entry;
    await this.cache.forget(userId);
    return undefined;
  }
}

/** The status an RPC shows: a connection that has never synced is still `syncing`. */
export function shownStatus(
  status: ConnectionStatus,
  hasSnapshot: boolean,
): IntegrationsTasksResponse['status'] {
  return status === 'ok' && !hasSnapshot ? 'syncing' : status;
}

function taskSyncedEventId(
  userId: string,
  previous: TaskSnapshot | undefined,
  digest: string,
): string {
  const from = previous ? `${previous.digest}@${previous.syncedAt.toISOString()}` : 'none';
  return uuidv5(`${userId}:${from}:${digest}`, TASK_SYNCED_NAMESPACE);
}
