import { Injectable, Logger } from '@nestjs/common';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';

/** A profile's zone changes rarely; a decision a minute late to see the change is fine. */
const CACHE_MS = 60_000;
/** Features are worth little if the tip waits for them: past this, the decision uses UTC. */
const DECISION_WAIT_MS = 50;
/** A slow answer still fills the cache for the user's next decision, up to this long. */
const LOOKUP_TIMEOUT_MS = 2_000;
/** Users whose zone one process remembers; the oldest entry goes first. */
const MAX_CACHED = 10_000;
const FALLBACK_ZONE = 'UTC';

interface Cached {
  timeZone: string;
  until: number;
}

/**
 * The user's time zone from profile, so hour and "overdue" are read on the user's own clock.
 * Cached briefly in this process. A decision waits for profile only `DECISION_WAIT_MS`: a
 * missing or slow profile gives UTC and never fails a tip, while the slow answer, when it
 * comes, is cached for the next one.
 */
@Injectable()
export class UserClock {
  private readonly logger = new Logger(UserClock.name);
  private readonly zones = new Map<string, Cached>();
  private readonly lookups = new Map<string, Promise<string | undefined>>();

  constructor(private readonly rpc: RpcClient) {}

  async timeZoneOf(userId: string): Promise<string> {
    const cached = this.zones.get(userId);
    if (cached && cached.until > Date.now()) return cached.timeZone;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), DECISION_WAIT_MS);
    });
    try {
      return (await Promise.race([this.lookup(userId), giveUp])) ?? FALLBACK_ZONE;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One profile call per user at a time; its answer is cached whenever it arrives. */
  private lookup(userId: string): Promise<string | undefined> {
    let pending = this.lookups.get(userId);
    if (!pending) {
      pending = this.rpc
        .call(RPC.profile.get, { userId }, LOOKUP_TIMEOUT_MS)
        .then(({ timezone }) => {
          this.remember(userId, timezone);
          return timezone;
        })
        .catch((error: unknown) => {
          this.logger.warn(`profile for ${userId}: ${(error as Error).message}; deciding in UTC`);
          return undefined;
        })
        .finally(() => this.lookups.delete(userId));
      this.lookups.set(userId, pending);
    }
    return pending;
  }

  private remember(userId: string, timeZone: string): void {
    this.zones.delete(userId);
    if (this.zones.size >= MAX_CACHED) this.zones.delete(this.zones.keys().next().value!);
    this.zones.set(userId, { timeZone, until: Date.now() + CACHE_MS });
  }
}
