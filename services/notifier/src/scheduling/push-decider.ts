import { Inject, Injectable, Logger } from '@nestjs/common';
import { RPC, type RecommendResponse } from '@oo/contracts';
import { RpcCallError, RpcClient } from '@oo/messaging';
import { NOTIFIER_ENV, type NotifierEnv } from '../config/env.js';
import { TipPush } from '../sending/tip-push.js';
import { PushSettingsService } from '../settings/push-settings.service.js';
import type { PushSettings } from '../settings/push-settings.repository.js';
import { SubscriptionRepository } from '../subscriptions/subscription.repository.js';
import { isQuietAt, localDate, nextLocalMidnight, quietEndAfter } from './local-time.js';
import { PushClaims, type ClaimRefusal, type PushState } from './push-claims.js';
import { ScheduleRepository, type ScheduleReason } from './schedule.repository.js';

/** What one look at a user came to. */
export type Consideration =
  | 'no_device'
  | 'disabled'
  | 'quiet_hours'
  | 'interval'
  | 'daily_cap'
  | 'busy'
  | 'nothing_to_push'
  | 'same_task'
  | 'sent'
  | 'not_delivered'
  | 'recommender_unavailable';

/** A decision waits this long for the recommender (integrations and the scorer behind it). */
const RECOMMEND_TIMEOUT_MS = 5_000;
/** After a push no device took, or the recommender did not answer. */
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;
const MINUTE_MS = 60_000;

/**
 * Whether to push to a user now, and if so what: the rules first (a device, push on, outside
 * quiet hours on the user's clock, the minimum interval, the daily cap), then a fresh decision
 * (`rpc.recommender.recommend`, channel push, without the tasks pushed in 24 h or just shown on
 * the web), then an atomic claim of the push slot, then the push. Every outcome leaves the
 * user's next look in the schedule (or none: no device, push off).
 */
@Injectable()
export class PushDecider {
  private readonly logger = new Logger(PushDecider.name);

  constructor(
    @Inject(NOTIFIER_ENV) private readonly env: NotifierEnv,
    private readonly subscriptions: SubscriptionRepository,
    private readonly settings: PushSettingsService,
    private readonly schedule: ScheduleRepository,
    private readonly claims: PushClaims,
    private readonly rpc: RpcClient,
    private readonly tipPush: TipPush,
  ) {}

  private get minIntervalMs(): number {
    return this.env.PUSH_MIN_INTERVAL_MINUTES * MINUTE_MS;
  }

  async consider(userId: string, now: Date = new Date()): Promise<Consideration> {
    // Devices first: most users of a task sync have none, and they cost no profile read.
    const devices = await this.subscriptions.forUser(userId);
    if (devices.length === 0) return this.stop(userId, 'no_device');
    const settings = await this.settings.of(userId);
    if (!settings.pushEnabled) return this.stop(userId, 'disabled');
    const { timeZone, quietHours } = settings;
    if (isQuietAt(now, quietHours, timeZone)) {
      // Deferred, not decided now: at the end of quiet hours the decision is made afresh, so
      // what arrives then is never a tip that went stale overnight.
      return this.next(userId, quietEndAfter(now, quietHours, timeZone), 'quiet_hours');
    }
    const today = localDate(now, timeZone);
    const blocked = this.blockedByRules(await this.claims.state(userId, today), now, settings);
    if (blocked) return this.next(userId, blocked.until, blocked.reason);

    const lock = await this.claims.lockDeciding(userId);
    // Another instance (or another delivery of the same trigger) is deciding for this user.
    if (!lock) return 'busy';
    try {
      const tip = await this.recommend(userId, now);
      if (tip === 'unavailable') {
        return this.next(
          userId,
          after(now, RETRY_AFTER_FAILURE_MS),
          'retry',
          'recommender_unavailable',
        );
      }
      if (!tip) {
        return this.next(
          userId,
          after(now, this.env.PUSH_RECHECK_MINUTES * MINUTE_MS),
          'nothing_to_push',
        );
      }
      const claimed = await this.claims.claim(userId, tip.taskId, now.getTime(), today, {
        minIntervalMs: this.minIntervalMs,
        dailyCap: this.env.PUSH_DAILY_CAP,
      });
      // The decision is dropped unsent: the recommender discards it, no reward either way.
      if (!claimed.ok) return this.refused(userId, claimed.refusal, now, settings);
      const result = await this.tipPush.push(userId, tip, devices, settings, now);
      if (result.sent > 0) {
        return this.next(
          userId,
          after(now, Math.max(this.minIntervalMs, MINUTE_MS)),
          'interval',
          'sent',
        );
      }
      await this.claims.release(claimed.claim);
      const retryAt = result.retryAt ?? after(now, backoffMs(result.failuresInARow));
      return this.next(userId, retryAt, 'retry', 'not_delivered');
    } finally {
      await this.claims.unlockDeciding(userId, lock);
    }
  }

  /** A fresh push decision; null when there is nothing to push. */
  private async recommend(
    userId: string,
    now: Date,
  ): Promise<RecommendResponse['tip'] | 'unavailable'> {
    const excludeTaskIds = await this.claims.excludedTasks(userId, now.getTime());
    try {
      const { tip } = await this.rpc.call(
        RPC.recommender.recommend,
        { userId, channel: 'push', now: now.toISOString(), excludeTaskIds },
        RECOMMEND_TIMEOUT_MS,
      );
      return tip;
    } catch (error) {
      if (!(error instanceof RpcCallError)) throw error;
      this.logger.warn(`push decision for ${userId} failed: ${error.code} ${error.message}`);
      return 'unavailable';
    }
  }

  private blockedByRules(
    state: PushState,
    now: Date,
    settings: PushSettings,
  ): { until: Date; reason: ScheduleReason & Consideration } | undefined {
    if (state.sentToday >= this.env.PUSH_DAILY_CAP) {
      return { until: nextLocalMidnight(now, settings.timeZone), reason: 'daily_cap' };
    }
    const last = state.lastSentAt;
    if (last !== undefined && Math.abs(now.getTime() - last) < this.minIntervalMs) {
      return { until: new Date(last + this.minIntervalMs), reason: 'interval' };
    }
    return undefined;
  }

  /** Another decision took the slot meanwhile, or the task was pushed since the exclusions were read. */
  private async refused(
    userId: string,
    refusal: ClaimRefusal,
    now: Date,
    settings: PushSettings,
  ): Promise<Consideration> {
    const today = localDate(now, settings.timeZone);
    const blocked = this.blockedByRules(await this.claims.state(userId, today), now, settings);
    if (blocked) return this.next(userId, blocked.until, blocked.reason);
    if (refusal === 'task') return this.next(userId, after(now, MINUTE_MS), 'retry', 'same_task');
    return this.next(userId, after(now, MINUTE_MS), 'retry', 'busy');
  }

  private async next(
    userId: string,
    dueAt: Date,
    reason: ScheduleReason,
    outcome: Consideration = reason as Consideration,
  ): Promise<Consideration> {
    await this.schedule.set(userId, dueAt, reason);
    return outcome;
  }

  private async stop(userId: string, outcome: Consideration): Promise<Consideration> {
    await this.schedule.remove(userId);
    return outcome;
  }
}

/**
 * After a push no device took: 15 min, doubling with each push in a row the devices did not
 * take, up to a day (a device that never takes one is dropped after ten).
 */
function backoffMs(failuresInARow: number): number {
  const doublings = Math.max(0, Math.min(failuresInARow, 8) - 1);
  return Math.min(RETRY_AFTER_FAILURE_MS * 2 ** doublings, 24 * 3_600_000);
}

function after(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms);
}
