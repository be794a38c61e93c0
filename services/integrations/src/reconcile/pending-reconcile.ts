import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { todoistKeys } from '../todoist/todoist-keys.js';
import type { VanishedTask } from './snapshot-diff.js';

/** A completion known to have happened, not yet in the ledger (it failed to record). */
export interface KnownCompletion {
  taskId: string;
  completionKey: string;
  /** ISO instant. */
  completedAt: string;
}

/** What the last reconcile of a user could not settle, carried to the next sync. */
export interface PendingWork {
  /** ISO instant: the earliest any of the candidates can have been completed. */
  since: string;
  /** Tasks that left the open set, not yet checked against Todoist's completed list. */
  candidates: VanishedTask[];
  completions: KnownCompletion[];
}

/**
 * Long enough to outlast an outage of Todoist or a 429's wait; the work is dropped after
 * it (and a window that old would be more than Todoist's completed list is asked for).
 */
export const PENDING_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * `oo:integrations:todoist:{<userId>}:reconcile-pending` (JSON, 7-day TTL): task ids and
 * completion keys only — no title — so nothing of the tasks' text outlives the snapshot here.
 * Read and written under the user's sync lock (reconcile runs inside the sync).
 */
@Injectable()
export class PendingReconcile {
  constructor(private readonly redis: Redis) {}

  async read(userId: string): Promise<PendingWork | undefined> {
    const raw = await this.redis.get(todoistKeys.reconcilePending(userId));
    if (!raw) return undefined;
    try {
      const work = JSON.parse(raw) as Partial<PendingWork> | null;
      // Written by an older or broken version: dropped, as if it had expired.
      if (
        typeof work?.since !== 'string' ||
        !Array.isArray(work.candidates) ||
        !Array.isArray(work.completions)
      )
        return undefined;
      return work as PendingWork;
    } catch {
      return undefined;
    }
  }

  /** Replaces the user's pending work; none left deletes the key. True when work was kept. */
  async replace(userId: string, work: PendingWork): Promise<boolean> {
    if (work.candidates.length === 0 && work.completions.length === 0) {
      await this.clear(userId);
      return false;
    }
    await this.redis.set(
      todoistKeys.reconcilePending(userId),
      JSON.stringify(work),
      'EX',
      PENDING_TTL_SECONDS,
    );
    return true;
  }

  async clear(userId: string): Promise<void> {
    await this.redis.del(todoistKeys.reconcilePending(userId));
  }
}
