import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BackgroundLoop } from '@oo/platform';
import { NOTIFIER_ENV, type NotifierEnv } from '../config/env.js';
import { PushDecider, type Consideration } from './push-decider.js';
import { ScheduleRepository } from './schedule.repository.js';

/** Users claimed per round trip. */
const BATCH = 200;
/** Looks under way at once per instance: decisions wait on the recommender and push services. */
const CONCURRENCY = 32;
/** A look that failed (Postgres or Redis away) is tried again after this. */
const RETRY_AFTER_ERROR_MS = 5 * 60_000;

/**
 * The timer behind deferred and periodic pushes: every instance, every
 * NOTIFIER_SCHEDULER_INTERVAL_SECONDS, claims the users whose next look is due (SKIP LOCKED:
 * instances share the work, none waits for another) and considers each.
 */
@Injectable()
export class PushScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PushScheduler.name);
  private readonly loop: BackgroundLoop<number>;

  constructor(
    @Inject(NOTIFIER_ENV) env: NotifierEnv,
    private readonly schedule: ScheduleRepository,
    private readonly decider: PushDecider,
  ) {
    this.loop = new BackgroundLoop({
      everyMs: env.NOTIFIER_SCHEDULER_INTERVAL_SECONDS * 1000,
      run: async () => (await this.runDue(() => new Date())).size,
      onError: (error) => {
        this.logger.warn(`push scheduler round failed: ${(error as Error).message}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Considers every user due by `clock()`; answers what each look came to. The clock is read
   * again for every batch and every look: a long round must not push at 22:00:20 on the
   * strength of a 21:59:50 reading (quiet hours), nor lease rows from a moment long gone.
   */
  async runDue(clock: () => Date): Promise<Map<string, Consideration | 'error'>> {
    const outcomes = new Map<string, Consideration | 'error'>();
    for (;;) {
      const due = await this.schedule.claimDue(clock(), BATCH);
      await forEachConcurrently(due, CONCURRENCY, async (userId) => {
        outcomes.set(userId, await this.considerSafely(userId, clock()));
      });
      if (due.length < BATCH) return outcomes;
    }
  }

  private async considerSafely(userId: string, now: Date): Promise<Consideration | 'error'> {
    try {
      return await this.decider.consider(userId, now);
    } catch (error) {
      this.logger.warn(`push look at ${userId} failed: ${(error as Error).message}`);
      await this.schedule
        .set(userId, new Date(now.getTime() + RETRY_AFTER_ERROR_MS), 'retry')
        .catch(() => undefined);
      return 'error';
    }
  }
}

async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
