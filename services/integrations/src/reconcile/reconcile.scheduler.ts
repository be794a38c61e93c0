import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BackgroundLoop } from '@oo/platform';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import { SYNC_LOCK_MS } from '../sync/sync-lock.js';
import { TODOIST } from '../sync/sync.service.js';
import { TaskCache, isStale } from '../sync/task-cache.js';
import { TaskSyncCoordinator } from '../sync/task-sync.coordinator.js';
import { TodoistApiClient } from '../todoist/todoist-api.client.js';
import { SweepLease } from './sweep-lease.js';
import { SweepRoster, type SweepEntry } from './sweep-roster.js';

/** Users are started over this share of the interval, so a sweep ends before the next is due. */
const SPREAD_SHARE = 0.8;
/**
 * A user with less than this share of their Todoist budget left is skipped this sweep: what
 * is left serves the app's own syncs and the closing of tasks, which a person waits for.
 */
const BUDGET_RESERVE_SHARE = 0.1;
const MIN_TICK_MS = 1000;

/**
 * Webhooks can be lost: every `RECONCILE_INTERVAL_SECONDS` one instance (the one that takes
 * the `SweepLease`) syncs every connection with `TaskSyncCoordinator.syncNow` — the per-user
 * lock, and a sync reconciles — spreading the users over the interval rather than sending
 * them all at once. Skipped: users synced within half an interval (that sync reconciled),
 * `rate_limited` ones whose wait is not over, and users whose budget is nearly spent.
 * Every instance ticks four times an interval, so a lost or crashed holder costs a quarter
 * interval at most. On shutdown it stops between two users and waits for the one in flight.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconcileScheduler.name);
  private readonly intervalMs: number;
  private readonly budgetReserve: number;
  private readonly loop: BackgroundLoop<boolean>;

  constructor(
    @Inject(INTEGRATIONS_ENV) env: IntegrationsEnv,
    private readonly coordinator: TaskSyncCoordinator,
    private readonly cache: TaskCache,
    private readonly todoist: TodoistApiClient,
    private readonly roster: SweepRoster,
    private readonly lease: SweepLease,
  ) {
    this.intervalMs = env.RECONCILE_INTERVAL_SECONDS * 1000;
    this.budgetReserve = Math.max(1, Math.ceil(env.TODOIST_BUDGET_REQUESTS * BUDGET_RESERVE_SHARE));
    this.loop = new BackgroundLoop({
      everyMs: Math.max(MIN_TICK_MS, Math.floor(this.intervalMs / 4)),
      run: () => this.leasedSweep(),
      onError: (error) => this.logger.warn(`Reconcile sweep failed: ${(error as Error).name}`),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Runs a sweep when this instance takes the interval's lease (none while one runs here);
   * true when it swept. Never throws.
   */
  async sweepIfLeased(): Promise<boolean> {
    return (await this.loop.runOnce()) ?? false;
  }

  private async leasedSweep(): Promise<boolean> {
    const started = Date.now();
    const token = await this.lease.take(this.intervalMs);
    if (!token) return false;
    try {
      await this.sweep(token, started);
    } finally {
      // The next sweep is due one interval after this one started, however long it ran.
      await this.lease.endIn(token, started + this.intervalMs - Date.now());
    }
    return true;
  }

  private async sweep(token: string, started: number): Promise<void> {
    const entries = await this.roster.connections(TODOIST);
    const gapMs = entries.length ? (this.intervalMs * SPREAD_SHARE) / entries.length : 0;
    let synced = 0;
    for (const [index, entry] of entries.entries()) {
      if (!(await this.waitUntil(started + index * gapMs))) break;
      // Held past the next user's sync, should the sweep outrun the interval.
      if (!(await this.lease.holdFor(token, SYNC_LOCK_MS + gapMs))) {
        this.logger.warn('Reconcile sweep lost its lease; another instance sweeps');
        break;
      }
      if (!(await this.isDue(entry))) continue;
      try {
        await this.coordinator.syncNow(entry.userId);
        synced += 1;
      } catch (error) {
        this.logger.warn(`Reconcile sync of ${entry.userId} failed: ${(error as Error).name}`);
      }
    }
    this.logger.log(`Reconcile sweep synced ${synced} of ${entries.length} connections`);
  }

  private async isDue({ userId, status, lastSyncAt }: SweepEntry): Promise<boolean> {
    // A sync that recent reconciled already.
    if (lastSyncAt && Date.now() - lastSyncAt.getTime() < this.intervalMs / 2) return false;
    if (status === 'rate_limited') {
      const cached = await this.cache.read(userId);
      if (cached && !isStale(cached)) return false;
    }
    return (await this.todoist.budgetLeft(userId)) >= this.budgetReserve;
  }

  /** False when the service is stopping. */
  private async waitUntil(at: number): Promise<boolean> {
    const ms = at - Date.now();
    const { signal } = this.loop;
    if (ms > 0 && !signal.aborted) await sleep(ms, undefined, { signal }).catch(() => undefined);
    return !signal.aborted;
  }
}
