import type { SyncedTask } from '@oo/contracts';
import { completionKey } from '../completions/completion-ledger.js';

/** A recurring task whose due date moved forward between two syncs: it was completed. */
export interface RecurringCompletion {
  taskId: string;
  /** `completionKey` of the task as the previous snapshot had it (the due that was completed). */
  completionKey: string;
}

/** A task that left the open set: completed, deleted or moved out of reach — Todoist tells which. */
export interface VanishedTask {
  taskId: string;
  /** The key its completion would have, from the previous snapshot. */
  completionKey: string;
}

export interface SnapshotDiff {
  recurringCompletions: RecurringCompletion[];
  vanished: VanishedTask[];
}

/**
 * What happened between two full sets of open tasks that a lost webhook would have told:
 * recurring tasks whose due moved forward (Todoist completes them by moving the date and
 * keeping them open, and its completed list leaves them out) and tasks no longer open (a
 * candidate completion, to check against Todoist's completed list). Keys come from the
 * previous set: the task as it was before the completion, as every path keys it.
 */
export function diffSnapshots(
  previous: readonly SyncedTask[],
  current: readonly SyncedTask[],
): SnapshotDiff {
  const now = new Map(current.map((task) => [task.taskId, task]));
  const diff: SnapshotDiff = { recurringCompletions: [], vanished: [] };
  for (const before of previous) {
    const after = now.get(before.taskId);
    const key = completionKey(before);
    if (!after) diff.vanished.push({ taskId: before.taskId, completionKey: key });
    else if (before.isRecurring && dueMovedForward(before.due, after.due))
      diff.recurringCompletions.push({ taskId: before.taskId, completionKey: key });
  }
  return diff;
}

/** Whether `after` lies later than `before` (both as `normaliseTask` writes a due). */
export function dueMovedForward(before: string | null, after: string | null): boolean {
  if (before === null || after === null) return false;
  const from = dueTime(before);
  const to = dueTime(after);
  return from !== undefined && to !== undefined && to > from;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const FLOATING = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A due as a comparable instant. A date counts from its midnight and a floating time is read
 * as if in UTC: both sides of a comparison are the same task, so the zone cancels out — only
 * a task switched between floating and fixed times is off by its offset, and that is an edit.
 */
function dueTime(due: string): number | undefined {
  const text = DATE_ONLY.test(due) ? `${due}T00:00:00Z` : FLOATING.test(due) ? `${due}Z` : due;
  const time = Date.parse(text);
  return Number.isFinite(time) ? time : undefined;
}
