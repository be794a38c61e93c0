import { performance } from 'node:perf_hooks';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  estimatePopulationPriorAsync,
  policyRegistry,
  type ModelState,
  type PopulationPrior,
} from '@oo/learning';
import { SCORER_ENV, type ScorerEnv } from '../config/env.js';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { ModelRepository } from '../store/model.repository.js';
import { PriorRepository } from '../store/prior.repository.js';

/** Re-read from Redis this often, so scoring never waits for the prior. */
const REFRESH_MS = 30_000;
/** A prior is re-estimated at least this often, new reactions or not (deletions leave it). */
const ESTIMATE_MS = 10 * 60_000;
/**
 * Reactions since the last estimate that make a new one worth it: the first users of a new
 * deployment get a prior within a minute of reacting, not ten.
 */
const NEW_UPDATES_FOR_ESTIMATE = 20;
/** Users read per estimate; the estimate itself uses an even sample of at most 1,000 of them. */
const SAMPLE_USERS = 5_000;
/**
 * An estimate costs CPU (seconds for a thousand x11 users): the next one waits at least this
 * many times as long as the last took, so estimating stays under ~5 % of one core however busy.
 */
const COST_SPACING = 20;

/**
 * Keeps each policy's population prior in memory (refreshed from Redis every 30 s) and
 * re-estimates it from users' models on one instance at a time: once
 * `NEW_UPDATES_FOR_ESTIMATE` reactions (or a deletion) came in since the last estimate, at most
 * every three checks (`SCORER_PRIOR_CHECK_SECONDS`) and no sooner than 20 times the last
 * estimate's duration, and every 10 minutes regardless; or now, on `rpc.scorer.refresh_prior`.
 * The estimate pauses for the event loop every few milliseconds, so scoring goes on meanwhile.
 */
@Injectable()
export class PriorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PriorService.name);
  private readonly priors = new Map<string, PopulationPrior>();
  private readonly timers: NodeJS.Timeout[] = [];
  private estimating: Promise<unknown> = Promise.resolve();
  /** Updates this instance applied and has not counted in Redis yet. */
  private uncounted = 0;
  private readonly checkMs: number;

  constructor(
    @Inject(SCORER_ENV) env: ScorerEnv,
    private readonly store: PriorRepository,
    private readonly models: ModelRepository,
    private readonly metrics: ScorerMetrics,
  ) {
    this.checkMs = env.SCORER_PRIOR_CHECK_SECONDS * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    const quietly = (work: () => Promise<unknown>, what: string) => () =>
      void work().catch((error: unknown) => {
        this.logger.warn(`${what} failed: ${(error as Error).message}`);
      });
    this.timers.push(
      setInterval(
        quietly(() => this.refresh(), 'prior refresh'),
        REFRESH_MS,
      ).unref(),
      setInterval(
        quietly(() => this.estimateIfDue(), 'prior estimate'),
        this.checkMs,
      ).unref(),
    );
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** The prior a new user of this policy starts from, if the population has one yet. */
  current(policy: string): PopulationPrior | undefined {
    return this.priors.get(policy);
  }

  /** A model learned from a reaction: counted towards the next estimate (in batches). */
  noteUpdate(): void {
    this.uncounted += 1;
  }

  /** A user's models were erased: the next check re-estimates without them. */
  noteErased(): void {
    this.uncounted += NEW_UPDATES_FOR_ESTIMATE;
  }

  async refresh(): Promise<void> {
    for (const { name } of policyRegistry.all()) {
      const prior = await this.store.get(name);
      if (prior) this.priors.set(name, prior);
      else this.priors.delete(name);
      this.metrics.priorUsers.set({ policy: name }, prior?.users ?? 0);
    }
  }

  /**
   * Estimates every policy's prior from the users' models now, and makes it current. One
   * estimate at a time per instance: it pauses for the event loop, so an operator's
   * `refresh_prior` could otherwise interleave with the scheduled one.
   */
  estimate(): Promise<Map<string, PopulationPrior | undefined>> {
    const next = this.estimating.then(
      () => this.estimateNow(),
      () => this.estimateNow(),
    );
    this.estimating = next.catch(() => undefined);
    return next;
  }

  private async estimateNow(): Promise<Map<string, PopulationPrior | undefined>> {
    const started = performance.now();
    const updates = await this.flushUpdates();
    const results = new Map<string, PopulationPrior | undefined>();
    for (const { name } of policyRegistry.all()) {
      const states: ModelState[] = [];
      for await (const { state } of this.models.scanModels(name)) {
        states.push(state);
        if (states.length >= SAMPLE_USERS) break;
      }
      const prior = await estimatePopulationPriorAsync(states);
      if (prior) await this.store.save(name, prior);
      else await this.store.remove(name);
      results.set(name, prior);
    }
    await this.store.setMark({ updates, at: Date.now(), tookMs: performance.now() - started });
    await this.refresh();
    return results;
  }

  /** Counts this instance's updates in Redis; answers the total across instances. */
  private async flushUpdates(): Promise<number> {
    const count = this.uncounted;
    this.uncounted = 0;
    try {
      return await this.store.countUpdates(count);
    } catch (error) {
      this.uncounted += count;
      throw error;
    }
  }

  private async estimateIfDue(): Promise<void> {
    const updates = await this.flushUpdates();
    const mark = (await this.store.mark()) ?? { updates: 0, at: 0, tookMs: 0 };
    const since = Date.now() - mark.at;
    const enoughNew = updates - mark.updates >= NEW_UPDATES_FOR_ESTIMATE;
    const spacing = Math.max(3 * this.checkMs, COST_SPACING * (mark.tookMs ?? 0));
    const due = since >= ESTIMATE_MS || (enoughNew && since >= spacing);
    if (!due || !(await this.store.tryLock(ESTIMATE_MS / 2))) return;
    try {
      await this.estimate();
    } finally {
      await this.store.unlock();
    }
  }
}
