import { Injectable, Logger } from '@nestjs/common';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';

/** A profile's zone changes rarely; a decision a minute late to see the change is fine. */
const CACHE_MS = 60_000;
/** Features are worth little if the tip waits for them: past this, the decision uses UTC. */
const PROFILE_TIMEOUT_MS = 50;
const FALLBACK_ZONE = 'UTC';
/** Users whose zone one process remembers; the oldest entry goes first. */
const MAX_CACHED = 10_000;

interface Cached {
  timeZone: string;
  until: number;
}

/**
 * The user's time zone from profile, so hour and "overdue" are read on the user's own clock.
 * Cached briefly in this process; a missing or slow profile gives UTC and never fails a tip.
 */
@Injectable()
export class UserClock {
  private readonly logger = new Logger(UserClock.name);
  private readonly zones = new Map<string, Cached>();

  constructor(private readonly rpc: RpcClient) {}

  async timeZoneOf(userId: string, now = Date.now()): Promise<string> {
    const cached = this.zones.get(userId);
    if (cached && cached.until > now) return cached.timeZone;
    try {
      const { timezone } = await this.rpc.call(RPC.profile.get, { userId }, PROFILE_TIMEOUT_MS);
      this.zones.delete(userId);
      if (this.zones.size >= MAX_CACHED) this.zones.delete(this.zones.keys().next().value!);
      this.zones.set(userId, { timeZone: timezone, until: now + CACHE_MS });
      return timezone;
    } catch (error) {
      this.logger.warn(`profile for ${userId}: ${(error as Error).message}; deciding in UTC`);
      return FALLBACK_ZONE;
    }
  }
}
