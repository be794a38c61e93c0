import { RPC, rpcSchemas, type SyncedTask } from '@oo/contracts';

/** The most candidates one `rpc.scorer.score` takes (its request schema's `maxItems`). */
export const SCORER_MAX_CANDIDATES: number =
  rpcSchemas[RPC.scorer.score].request.properties.candidates.maxItems;

/** Todoist priority 4 is urgent; due dates compare as strings (ISO dates and date-times). */
function preselectionOrder(a: SyncedTask, b: SyncedTask): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.due !== b.due) {
    if (a.due === null) return 1;
    if (b.due === null) return -1;
    return a.due < b.due ? -1 : 1;
  }
  if (a.addedAt !== b.addedAt) return a.addedAt < b.addedAt ? -1 : 1;
  return a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0;
}

/**
 * The tasks a decision may choose from: the open tasks minus the held ones (snoozed, dismissed).
 * When more are left than the scorer takes in one call, the most pressing ones go: highest
 * priority, then earliest due (no due last), then oldest, then task id — the same tasks for
 * the same list, whatever order integrations sent it in.
 */
export function selectCandidates(
  tasks: readonly SyncedTask[],
  held: ReadonlySet<string>,
  limit: number = SCORER_MAX_CANDIDATES,
): SyncedTask[] {
  const open = tasks.filter((task) => !held.has(task.taskId));
  if (open.length <= limit) return open;
  return [...open].sort(preselectionOrder).slice(0, limit);
}
