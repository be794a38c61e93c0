import type { CachedTasks } from './task-cache.js';

/**
 * How much cached JSON (characters) the parsed entries may stand for, across users: ~700
 * users of 50 tasks, or eight of the largest sets (1 MB). With the parsed objects and the
 * reply made from them, ~4–6× that in memory at most (~40 MB). Past it a user's set is parsed
 * again on their next call (~50 µs for 50 tasks), nothing worse.
 */
export const PARSED_BUDGET_CHARS = 8 * 1024 * 1024;
/**
 * A user's parsed set not read for this long is dropped: the memo is for sets being read now,
 * and it must not keep a user's task titles in memory long after the cache lost them (a
 * deletion or disconnect handled by another instance deletes only the Redis keys).
 */
const PARSED_MAX_IDLE_MS = 10 * 60_000;

interface Parsed {
  /** The cached JSON as Redis returned it. */
  raw: string;
  /** The set as parsed, without anything hidden. */
  whole: CachedTasks;
  /** The hidden task ids `entry` leaves out, as a key. */
  hiddenKey: string;
  entry: CachedTasks;
  /** When it was last read (the map's order is the order of these). */
  readAt: number;
}

/**
 * The cache entry last parsed per user, reused while Redis returns the very same JSON: most
 * reads find the set unchanged, and comparing the text costs far less than parsing 50 tasks
 * again (and the garbage of the objects). The same entry object comes back each time, so what
 * is made from it (the reply, its JSON) can be made once. Entries are frozen: shared by every
 * caller. Least recently read users go first when the budget is spent.
 */
export class ParsedEntries {
  private readonly byUser = new Map<string, Parsed>();
  private chars = 0;

  constructor(
    private readonly budgetChars = PARSED_BUDGET_CHARS,
    private readonly maxIdleMs = PARSED_MAX_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entry `raw` holds, without the tasks in `hidden` (done since the last sync). */
  entry(userId: string, raw: string, hidden: readonly string[]): CachedTasks {
    this.dropIdle();
    const hiddenKey = hidden.join('\n');
    const known = this.byUser.get(userId);
    if (known?.raw === raw) {
      // Most recently read last: the map's order is the eviction order.
      this.byUser.delete(userId);
      this.byUser.set(userId, known);
      known.readAt = this.now();
      if (known.hiddenKey !== hiddenKey) {
        known.hiddenKey = hiddenKey;
        known.entry = withoutHidden(known.whole, hidden);
      }
      return known.entry;
    }
    const whole = frozen(JSON.parse(raw) as CachedTasks);
    const parsed: Parsed = {
      raw,
      whole,
      hiddenKey,
      entry: withoutHidden(whole, hidden),
      readAt: this.now(),
    };
    this.forget(userId);
    if (raw.length <= this.budgetChars) this.remember(userId, parsed);
    return parsed.entry;
  }

  /** Drops what is kept of the user (nothing cached for them any more). */
  forget(userId: string): void {
    const known = this.byUser.get(userId);
    if (!known) return;
    this.byUser.delete(userId);
    this.chars -= known.raw.length;
  }

  /** Drops the users not read for `maxIdleMs`; also run on a timer by `TaskCache`. */
  dropIdle(): void {
    const oldestKept = this.now() - this.maxIdleMs;
    for (const [userId, parsed] of this.byUser) {
      if (parsed.readAt > oldestKept) break;
      this.forget(userId);
    }
  }

  private remember(userId: string, parsed: Parsed): void {
    this.byUser.set(userId, parsed);
    this.chars += parsed.raw.length;
    for (const oldest of this.byUser.keys()) {
      if (this.chars <= this.budgetChars) break;
      this.forget(oldest);
    }
  }
}

function withoutHidden(entry: CachedTasks, hidden: readonly string[]): CachedTasks {
  if (hidden.length === 0) return entry;
  const done = new Set(hidden);
  return Object.freeze({
    ...entry,
    tasks: Object.freeze(entry.tasks.filter((task) => !done.has(task.taskId))),
  }) as CachedTasks;
}

function frozen(entry: CachedTasks): CachedTasks {
  for (const task of entry.tasks) Object.freeze(task);
  Object.freeze(entry.tasks);
  return Object.freeze(entry);
}
