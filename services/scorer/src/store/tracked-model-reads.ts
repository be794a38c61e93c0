import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ModelState } from '@oo/learning';
import { Redis } from 'ioredis';
import { ModelCache } from './model-cache.js';
import { TrackingSession, type Invalidated } from './tracking-session.js';

/**
 * Models kept in memory, with their solves ~1.5 KB (d = 5) to ~5 KB (d = 11) each: tens of MB
 * at most. Past it the oldest read goes first (and is read again when next scored).
 */
const MAX_MODELS = 10_000;
/**
 * Defence in depth: a model is read again at least this often, even with no invalidation (a
 * half-open connection is only noticed when TCP gives up). Costs one MGET per user per 10 s.
 */
const MAX_AGE_MS = 10_000;
/** Wait before trying to open a tracking session again: doubling, up to the maximum. */
const REOPEN_FIRST_MS = 1_000;
const REOPEN_MAX_MS = 30_000;

/** A stored model, or `undefined` where Redis has none. */
export const decodeModel = (bytes: Buffer | null): ModelState | undefined =>
  bytes ? ModelState.decode(bytes) : undefined;

/**
 * Model reads for scoring, served from memory while Redis says they have not changed: Redis
 * server-assisted client-side caching (CLIENT TRACKING with REDIRECT, see `TrackingSession`).
 * Any instance's feedback, a reset, an erasure or a rebuild swap changes the model's key in
 * Redis, and Redis then invalidates it here.
 *
 * How stale a model used for scoring can be:
 * - normally, by the time an invalidation takes to arrive: Redis sends it while it executes the
 *   write, and it is read within an event-loop turn of arriving (well under a millisecond on
 *   one box) — the order of the write's own reply reaching the instance that wrote. A score in
 *   that window uses the model as it was a moment before, as if it had come a moment earlier;
 * - a read racing an invalidation never fills the cache (`ModelCache` tickets);
 * - a lost connection may lose invalidations: the cache is emptied and every read goes to Redis
 *   until a new session is up. A closed socket (Redis restart, CLIENT KILL) is noticed at once;
 *   a silent network partition only when TCP gives up, so no model is used more than
 *   MAX_AGE_MS (10 s) after it was read, whatever happens.
 *
 * Without a session (starting, or after a connection was lost) every read goes to Redis on the
 * service's own connection and nothing is cached, so scoring never depends on the cache.
 */
@Injectable()
export class TrackedModelReads implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TrackedModelReads.name);
  private readonly cache = new ModelCache({ maxEntries: MAX_MODELS, maxAgeMs: MAX_AGE_MS });
  private readonly prefix: string;
  private session: TrackingSession | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopenDelayMs = REOPEN_FIRST_MS;
  private stopped = false;

  constructor(@Inject(Redis) private readonly redis: Redis) {
    this.prefix = redis.options.keyPrefix ?? '';
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.open();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.reopenTimer);
    this.session?.close();
    this.session = undefined;
    this.cache.clear();
  }

  /** Redis's id of the connection invalidations come on, while a session is open. */
  get invalidationConnectionId(): number | undefined {
    return this.session?.invalidationsId;
  }

  /** Whether reads are being cached (a tracking session is open). */
  get caching(): boolean {
    return this.session !== undefined;
  }

  /** Whether the model at `key` (without the key prefix) would be answered from memory. */
  isCached(key: string): boolean {
    return this.session !== undefined && this.cache.get(this.prefix + key) !== undefined;
  }

  /**
   * The models at `keys` (without the key prefix) if every one is in memory and trusted, in
   * order (`undefined`: the user has none); else `undefined`, and `read` asks Redis.
   */
  cached(keys: readonly string[]): Array<ModelState | undefined> | undefined {
    if (!this.session) return undefined;
    const states = new Array<ModelState | undefined>(keys.length);
    for (let i = 0; i < keys.length; i += 1) {
      const hit = this.cache.get(this.prefix + keys[i]!);
      if (hit === undefined) return undefined;
      states[i] = hit.state;
    }
    return states;
  }

  /**
   * The models at `keys` (without the key prefix), in order; `undefined` where there is none.
   * At once when all are in memory, else after one round trip.
   */
  read(
    keys: readonly string[],
  ): Array<ModelState | undefined> | Promise<Array<ModelState | undefined>> {
    return this.cached(keys) ?? this.readThrough(keys);
  }

  private async readThrough(keys: readonly string[]): Promise<Array<ModelState | undefined>> {
    const session = this.session;
    if (!session) return (await this.redis.mgetBuffer(...keys)).map(decodeModel);
    const fullKeys = keys.map((key) => this.prefix + key);
    const ticket = this.cache.beginRead(fullKeys);
    let values: Array<Buffer | null>;
    try {
      values = await session.reader.mgetBuffer(...keys);
    } catch {
      // The session's connection went away mid-read: its end clears the cache; answer anyway.
      this.cache.abandonRead(ticket, fullKeys);
      return (await this.redis.mgetBuffer(...keys)).map(decodeModel);
    }
    const states = values.map(decodeModel);
    this.cache.finishRead(ticket, fullKeys, states);
    return states;
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    let session: TrackingSession;
    try {
      session = await TrackingSession.open(this.redis, (invalidated) =>
        this.invalidate(invalidated),
      );
    } catch (error) {
      this.logger.warn(`model cache off, retrying: ${(error as Error).message}`);
      this.reopenLater();
      return;
    }
    if (this.stopped) {
      session.close();
      return;
    }
    this.session = session;
    this.reopenDelayMs = REOPEN_FIRST_MS;
    void session.ended.then((reason) => {
      if (this.session !== session) return;
      this.session = undefined;
      // Invalidations may have been lost with the connection: nothing cached can be trusted.
      this.cache.clear();
      if (this.stopped) return;
      this.logger.warn(`model cache off until tracking is back: ${reason}`);
      this.reopenLater();
    });
  }

  private reopenLater(): void {
    if (this.stopped) return;
    this.reopenTimer = setTimeout(() => void this.open(), this.reopenDelayMs);
    this.reopenTimer.unref();
    // A Redis without CLIENT TRACKING (or unreachable) is asked less and less often.
    this.reopenDelayMs = Math.min(this.reopenDelayMs * 2, REOPEN_MAX_MS);
  }

  private invalidate(invalidated: Invalidated): void {
    if (invalidated === 'all') this.cache.clear();
    else for (const key of invalidated.keys) this.cache.invalidate(key);
  }
}
