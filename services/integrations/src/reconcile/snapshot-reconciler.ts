import { Injectable, Logger } from '@nestjs/common';
import type { SyncedTask } from '@oo/contracts';
import { CompletionLedger } from '../completions/completion-ledger.js';
import { ConnectionRepository } from '../connections/connection.repository.js';
import type { TaskSnapshot } from '../sync/task-snapshot.repository.js';
import { TokenSource } from '../sync/token-source.js';
import { TodoistApiClient } from '../todoist/todoist-api.client.js';
import type { TodoistCompletedTask } from '../todoist/todoist-api.types.js';
import { PendingReconcile, type KnownCompletion } from './pending-reconcile.js';
import { diffSnapshots, type VanishedTask } from './snapshot-diff.js';

/**
 * How much earlier than the last sync a vanished task may have been completed: the listing
 * that still showed it ran up to a few minutes before that sync's time (three attempts of
 * a page), and Todoist's clock is not ours.
 */
export const SINCE_MARGIN_MS = 5 * 60_000;
/** Never ask Todoist for more than this (it serves at most three months per request). */
export const MAX_WINDOW_MS = 60 * 24 * 60 * 60_000;

export interface SyncOutcome {
  userId: string;
  provider: string;
  /** The snapshot the sync is about to replace; undefined on a first sync. */
  previous: TaskSnapshot | undefined;
  /** The open tasks just read. */
  current: readonly SyncedTask[];
  /** When they were read. */
  syncedAt: Date;
  /** Todoist's `updated_at` of the tasks read, by id: when a recurring task was last touched. */
  updatedAt?: ReadonlyMap<string, string>;
}

/**
 * Finds, after a sync, the completions a lost webhook would have reported — recurring tasks
 * whose due moved forward, and vanished tasks that Todoist lists as completed — and records
 * them through the `CompletionLedger` (`via: reconcile`), which publishes each completion
 * once whichever path saw it first. Todoist's completed list is asked only when tasks
 * vanished (one request of the user's budget, or one per 200 completions).
 *
 * It runs before the sync replaces the snapshot, and never throws: what it cannot settle
 * now — the completed list refused (5xx, 429) or the ledger unreachable — is kept in
 * `PendingReconcile` and retried by the next sync, because once the new snapshot is saved
 * the vanished tasks can no longer be derived from it. A crash before the snapshot is saved
 * just repeats the same work next time, which the ledger makes harmless.
 */
@Injectable()
export class SnapshotReconciler {
  private readonly logger = new Logger(SnapshotReconciler.name);

  constructor(
    private readonly todoist: TodoistApiClient,
    private readonly tokens: TokenSource,
    private readonly ledger: CompletionLedger,
    private readonly pending: PendingReconcile,
    private readonly connections: ConnectionRepository,
  ) {}

  async afterSync(outcome: SyncOutcome): Promise<void> {
    try {
      await this.reconcile(outcome);
    } catch (error) {
      // Only the pending store itself failing ends here; the sync goes on regardless.
      this.logger.warn(`Reconcile of ${outcome.userId} failed: ${errorName(error)}`);
    }
  }

  private async reconcile({
    userId,
    provider,
    previous,
    current,
    syncedAt,
    updatedAt,
  }: SyncOutcome): Promise<void> {
    const diff = previous ? diffSnapshots(previous.tasks, current) : undefined;
    const carried = await this.pending.read(userId);
    if (!carried && !diff?.vanished.length && !diff?.recurringCompletions.length) return;

    const completedAt = syncedAt.toISOString();
    const recurringCompletedAt = (taskId: string): string =>
      touchedBetween(updatedAt?.get(taskId), previous?.syncedAt, syncedAt) ?? completedAt;
    const completions: KnownCompletion[] = [
      ...(carried?.completions ?? []),
      ...(diff?.recurringCompletions ?? []).map((found) => ({
        ...found,
        completedAt: recurringCompletedAt(found.taskId),
      })),
    ];
    const candidates = uniqueTasks([...(carried?.candidates ?? []), ...(diff?.vanished ?? [])]);
    const since = earliest(carried?.since, previous?.syncedAt.toISOString()) ?? completedAt;

    let unsettled: VanishedTask[] = [];
    if (candidates.length > 0) {
      try {
        const completed = await this.tokens.withAccessToken(userId, provider, (token) =>
          this.todoist.completedSince({ userId, token }, windowStart(since, syncedAt), syncedAt),
        );
        // Disconnected meanwhile: nothing is left to count completions for.
        if (completed === undefined) return;
        completions.push(...completedAmong(candidates, completed));
      } catch (error) {
        this.logger.warn(
          `Completed tasks of ${userId} not read (${errorName(error)}): ${candidates.length} kept for the next sync`,
        );
        unsettled = candidates;
      }
    }

    const unrecorded: KnownCompletion[] = [];
    for (const completion of completions) {
      try {
        await this.ledger.record({
          userId,
          provider,
          taskId: completion.taskId,
          completionKey: completion.completionKey,
          completedAt: new Date(completion.completedAt),
          via: 'reconcile',
        });
      } catch (error) {
        this.logger.warn(`Completion of a task of ${userId} not recorded: ${errorName(error)}`);
        unrecorded.push(completion);
      }
    }
    const kept = await this.pending.replace(userId, {
      since: unsettled.length > 0 ? since : completedAt,
      candidates: unsettled,
      completions: unrecorded,
    });
    // Nothing above holds the connection, so a disconnect or account deletion may commit
    // meanwhile and its DEL of the user's Redis keys run before this SET, leaving the user's
    // task ids behind. Checked after the write, not before: the removal deletes the connection
    // before the keys, so either its DEL comes after our SET or this read sees the connection
    // gone — no lock needed, and one read only when work is kept (after a failure).
    if (kept && !(await this.connections.find(userId, provider))) {
      await this.pending.clear(userId);
    }
  }
}

/** The candidates Todoist lists as completed, each with Todoist's completion time. */
function completedAmong(
  candidates: readonly VanishedTask[],
  completed: readonly TodoistCompletedTask[],
): KnownCompletion[] {
  // Newest first, as Todoist lists them: a task closed, reopened and closed again keeps its last.
  const when = new Map<string, string>();
  for (const task of completed) {
    const at = Date.parse(task.completed_at);
    const id = String(task.id);
    if (Number.isFinite(at) && !when.has(id)) when.set(id, new Date(at).toISOString());
  }
  return candidates.flatMap((candidate) => {
    const completedAt = when.get(candidate.taskId);
    return completedAt ? [{ ...candidate, completedAt }] : [];
  });
}

/**
 * A recurring task's completion time, as near as Todoist tells: its last update, when that
 * falls between the two syncs (completing it updated it; a later edit only moves it closer to
 * the sync's time, never before the completion). Otherwise undefined: the sync's time will do.
 */
function touchedBetween(
  updatedAt: string | undefined,
  from: Date | undefined,
  to: Date,
): string | undefined {
  const at = updatedAt === undefined ? NaN : Date.parse(updatedAt);
  if (!Number.isFinite(at) || at > to.getTime()) return undefined;
  if (from && at < from.getTime() - SINCE_MARGIN_MS) return undefined;
  return new Date(at).toISOString();
}

function uniqueTasks(tasks: readonly VanishedTask[]): VanishedTask[] {
  const seen = new Map<string, VanishedTask>();
  for (const task of tasks) if (!seen.has(task.taskId)) seen.set(task.taskId, task);
  return [...seen.values()];
}

function earliest(...instants: Array<string | undefined>): string | undefined {
  const known = instants.filter((at): at is string => at !== undefined && !isNaN(Date.parse(at)));
  return known.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

function windowStart(since: string, until: Date): Date {
  const start = Date.parse(since) - SINCE_MARGIN_MS;
  return new Date(Math.max(start, until.getTime() - MAX_WINDOW_MS));
}

/** Todoist's typed errors name method, path and status, the ledger's ids: no token, no task text. */
function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
