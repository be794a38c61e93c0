/** Tips remembered per instance; the oldest goes first. About 100 bytes each. */
const DEFAULT_CAPACITY = 100_000;

/**
 * When each open tip's task was last seen open, on this instance: a re-serve within
 * `recheckMs` of that answers without asking integrations (an RPC hop that was most
 * of a re-serve's time and CPU). Keyed by tip id, which a new decision never reuses, so
 * nothing has to be forgotten when a tip ends.
 */
export class OpenTaskChecks {
  private readonly seen = new Map<string, number>();

  constructor(
    /**
     * How long a tip's task, once integrations said it was open, is taken to be open still
     * (`RECOMMENDER_OPEN_TASK_RECHECK_SECONDS`): integrations' own cache is as old, and the
     * ways a task leaves that oO hears of end the tip by event (`task.synced` without it,
     * `integration.disconnected`, `task.completed`). Asking now and then covers what no event
     * reports in time (a completion seen only after a newer tip of the task was served, a
     * deletion whose sync read Todoist just before it, a connection that needs reconnecting)
     * and keeps integrations refreshing a set that someone is looking at.
     */
    private readonly recheckMs: number,
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when the tip's task was seen open less than `recheckMs` ago. */
  isFresh(tipId: string): boolean {
    const seenAt = this.seen.get(tipId);
    if (seenAt === undefined) return false;
    if (this.now() - seenAt < this.recheckMs) return true;
    this.seen.delete(tipId);
    return false;
  }

  /** The tip's task is open now: it was just chosen from the open set, or integrations said so. */
  seenOpen(tipId: string): void {
    // Re-inserted, so that the insertion order is the order of last sight.
    this.seen.delete(tipId);
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(tipId, this.now());
  }
}
