import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BackgroundLoop } from '@oo/platform';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { TaskHoldRepository } from '../holds/task-hold.repository.js';
import { TipReactions } from '../reacting/tip-reactions.js';
import { CLOCK, type Clock } from './clock.js';
import { RewardsMetrics } from './rewards.metrics.js';
import { TipExpiry } from './tip-expiry.js';

/**
 * How old an unpublished reaction must be before the relay sends it: younger ones may still
 * be on their way from `react` (a double publish would be harmless, same event id, but noise).
 */
export const RELAY_GRACE_MS = 5_000;

/** What one sweep did; `expired` is undefined when another instance held the expiry pass. */
export interface SweepReport {
  expired: number | undefined;
  relayed: number;
  pruned: number;
}

/**
 * The recommender's background work, every `RECOMMENDER_SWEEP_INTERVAL_SECONDS` on every
 * instance, and once at start (so what came due while it was down is done at once): expire
 * the tips due (`TipExpiry`), relay feedback whose publish never completed
 * (`TipReactions.publishPending`, the outbox), and forget holds that ran out. Each step keeps
 * its state in Postgres and is safe on several instances. One sweep at a time per instance;
 * a tick that finds one running skips. On shutdown it stops between two tips and waits for
 * the sweep in flight, while NATS and Postgres are still open.
 */
@Injectable()
export class RewardsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RewardsSweeper.name);
  private readonly loop: BackgroundLoop<SweepReport>;

  constructor(
    @Inject(RECOMMENDER_ENV) env: RecommenderEnv,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly expiry: TipExpiry,
    private readonly reactions: TipReactions,
    private readonly holds: TaskHoldRepository,
    private readonly metrics: RewardsMetrics,
  ) {
    this.loop = new BackgroundLoop({
      everyMs: env.RECOMMENDER_SWEEP_INTERVAL_SECONDS * 1000,
      run: (signal) => this.sweep(signal),
      onError: (error) => {
        this.metrics.sweeps.inc({ outcome: 'failed' });
        this.logger.warn(
          `Rewards sweep failed: ${(error as Error).name}: ${(error as Error).message}`,
        );
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start({ now: true });
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs a sweep unless one is running here (then answers that one). Never throws. */
  sweepOnce(): Promise<SweepReport | undefined> {
    return this.loop.runOnce();
  }

  private async sweep(signal: AbortSignal): Promise<SweepReport> {
    const now = this.clock();
    const pass = await this.expiry.expireDue(now, signal);
    const relayed = await this.reactions.publishPending(new Date(now.getTime() - RELAY_GRACE_MS));
    this.metrics.relayed.inc(relayed);
    const pruned = await this.holds.pruneExpired(now);
    if (pass?.expired || relayed) {
      this.logger.log(
        `rewards_sweep expired=${pass?.expired ?? 0} relayed=${relayed} pruned=${pruned}`,
      );
    }
    this.metrics.sweeps.inc({ outcome: pass ? 'swept' : 'expiry_elsewhere' });
    return { expired: pass?.expired, relayed, pruned };
  }
}
