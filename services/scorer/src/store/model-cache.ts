import type { ModelState } from '@oo/learning';

/** A model as last read from Redis (`undefined`: the user has none yet). */
export interface CachedModel {
  state: ModelState | undefined;
}

interface Entry extends CachedModel {
  readAt: number;
}

export interface ModelCacheOptions {
  /** Models kept; past it the oldest read goes first. */
  maxEntries: number;
  /** A model older than this is read again even if no invalidation came (see README). */
  maxAgeMs: number;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/**
 * The models this instance read lately, keyed by their full Redis key, kept only while Redis
 * has not reported a change (the invalidations come from `TrackedModelReads`).
 *
 * A read and an invalidation travel on different connections, so the invalidation of a write
 * that follows a read can overtake the read's reply. A read therefore fills the cache only if no
 * invalidation (and no clear) for its key came while it was in flight: `beginRead` hands out a
 * ticket per key, an invalidation withdraws it, `finishRead` stores only under a ticket still held.
 */
export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, number>();
  private lastTicket = 0;
  private readonly now: () => number;

  constructor(private readonly options: ModelCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached model of `key`, unless it is missing or too old. */
  get(key: string): CachedModel | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.readAt > this.options.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Call right before sending the read of `keys`; pass the ticket to `finishRead`. */
  beginRead(keys: readonly string[]): number {
    const ticket = (this.lastTicket += 1);
    for (const key of keys) this.reading.set(key, ticket);
    return ticket;
  }

  /** Stores what the read found, for each key no invalidation has touched since `beginRead`. */
  finishRead(
    ticket: number,
    keys: readonly string[],
    states: ReadonlyArray<ModelState | undefined>,
  ): void {
    const readAt = this.now();
    keys.forEach((key, i) => {
      if (this.reading.get(key) !== ticket) return;
      this.reading.delete(key);
      this.store(key, { state: states[i], readAt });
    });
  }

  /** A read that failed: its tickets are withdrawn. */
  abandonRead(ticket: number, keys: readonly string[]): void {
    for (const key of keys) if (this.reading.get(key) === ticket) this.reading.delete(key);
  }

  /** Redis reported that `key` changed (or stopped tracking it). */
  invalidate(key: string): void {
    this.entries.delete(key);
    this.reading.delete(key);
  }

  /** Forget everything, reads in flight included: invalidations may have been lost. */
  clear(): void {
    this.entries.clear();
    this.reading.clear();
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }
}
