import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Names no user: one lease for the whole service. */
export const SWEEP_LEASE_KEY = 'oo:integrations:reconcile:sweep-lease';

type LeaseCommands = Redis & {
  holdReconcileLease(
    key: string,
    token: string,
    ms: number,
    mode: 'at-least' | 'exactly',
  ): Promise<number>;
};

/**
 * The right to run the periodic reconcile sweep, across every instance of the service: taken
 * with `SET NX PX <interval>` and left to run out, so the whole service sweeps once per
 * interval whichever instance wins the tick; a sweep that runs longer keeps it (`holdFor`),
 * so no two sweeps overlap. A crashed holder's lease lapses by itself.
 */
@Injectable()
export class SweepLease {
  private readonly commands: LeaseCommands;

  constructor(redis: Redis) {
    redis.defineCommand('holdReconcileLease', {
      numberOfKeys: 1,
      lua: readFileSync(new URL('./lua/hold-lease.lua', import.meta.url), 'utf8'),
    });
    this.commands = redis as LeaseCommands;
  }

  /** The holder's token when taken; undefined while another holds it (or held it this interval). */
  async take(ms: number): Promise<string | undefined> {
    const token = randomUUID();
    const taken = await this.commands.set(SWEEP_LEASE_KEY, token, 'PX', ms, 'NX');
    return taken === 'OK' ? token : undefined;
  }

  /** Keeps the lease at least `ms` more; false when this holder has lost it. */
  async holdFor(token: string, ms: number): Promise<boolean> {
    return (
      (await this.commands.holdReconcileLease(
        SWEEP_LEASE_KEY,
        token,
        Math.ceil(ms),
        'at-least',
      )) === 1
    );
  }

  /** Lets the lease run out `ms` from now (at once when not positive), if still this holder's. */
  async endIn(token: string, ms: number): Promise<void> {
    await this.commands.holdReconcileLease(SWEEP_LEASE_KEY, token, Math.floor(ms), 'exactly');
  }
}
