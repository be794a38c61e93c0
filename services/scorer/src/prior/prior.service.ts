import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  estimatePopulationPrior,
  policyRegistry,
  type ModelState,
  type PopulationPrior,
} from '@oo/learning';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { ModelRepository } from '../store/model.repository.js';
import { PriorRepository } from '../store/prior.repository.js';

const REFRESH_MS = 30_000;
const ESTIMATE_MS = 10 * 60_000;
/** Enough users for a stable mean and covariance; more only costs time. */
const SAMPLE_USERS = 5_000;

/**
 * Keeps each policy's population prior in memory (refreshed from Redis every 30 s, so scoring
 * never waits for it) and re-estimates it from users' models every 10 min on one instance.
 */
@Injectable()
export class PriorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly priors = new Map<string, PopulationPrior>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: PriorRepository,
    private readonly models: ModelRepository,
    private readonly metrics: ScorerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timers.push(
      setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS).unref(),
      setInterval(() => void this.estimateIfFree().catch(() => undefined), ESTIMATE_MS).unref(),
    );
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** The prior a new user of this policy starts from, if the population has one yet. */
  current(policy: string): PopulationPrior | undefined {
    return this.priors.get(policy);
  }

  async refresh(): Promise<void> {
    for (const { name } of policyRegistry.all()) {
      const prior = await this.store.get(name);
      if (prior) this.priors.set(name, prior);
      else this.priors.delete(name);
      this.metrics.priorUsers.set({ policy: name }, prior?.users ?? 0);
    }
  }

  /** Estimates every policy's prior from the users' models now, and makes it current. */
  async estimate(): Promise<Map<string, PopulationPrior | undefined>> {
    const results = new Map<string, PopulationPrior | undefined>();
    for (const { name } of policyRegistry.all()) {
      const states: ModelState[] = [];
      for await (const { state } of this.models.scanModels(name)) {
        states.push(state);
        if (states.length >= SAMPLE_USERS) break;
      }
      const prior = estimatePopulationPrior(states);
      if (prior) await this.store.save(name, prior);
      else await this.store.remove(name);
      results.set(name, prior);
    }
    await this.refresh();
    return results;
  }

  private async estimateIfFree(): Promise<void> {
    if (await this.store.tryLock(ESTIMATE_MS / 2)) await this.estimate();
  }
}
