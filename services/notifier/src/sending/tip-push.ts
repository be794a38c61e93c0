import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Tip } from '@oo/contracts';
import { EventPublisher } from '@oo/messaging';
import { NOTIFIER_ENV, type NotifierEnv } from '../config/env.js';
import type { PushSettings } from '../settings/push-settings.repository.js';
import { localDate, zonedInstant, nextLocalMidnight } from '../scheduling/local-time.js';
import {
  SubscriptionRepository,
  type StoredSubscription,
} from '../subscriptions/subscription.repository.js';
import { DeliveryLogRepository } from './delivery-log.repository.js';
import { tipNotification, topicFor, urgencyOf } from './push-payload.js';
import { PushSender, type Delivery } from './push-sender.js';

/** What pushing one tip to a user's devices came to. */
export interface TipPushResult {
  /** Devices that accepted it. */
  sent: number;
  /** The earliest moment a device that asked for a pause (429) takes pushes again. */
  retryAt?: Date;
  /** When none did: the fewest pushes in a row any device has not taken (for back-off). */
  failuresInARow: number;
}

/** A device that has not taken this many pushes in a row (5xx, refusals) is dropped. */
export const MAX_FAILURES_IN_A_ROW = 10;
/** Configuration errors logged once each: bounded, whatever push services answer. */
const MAX_REPORTED_REJECTIONS = 100;

/**
 * Pushes one tip to every device of the user at once, each its own delivery: logged per
 * request, announced per device (`signals.push.sent.<u>`; `sent` is what makes the recommender
 * serve the tip), a gone subscription deleted, a device that asked for a pause left alone until
 * then.
 */
@Injectable()
export class TipPush {
  private readonly logger = new Logger(TipPush.name);
  /** Configuration errors are logged once per reason, not once per push. */
  private readonly reportedRejections = new Set<string>();

  constructor(
    @Inject(NOTIFIER_ENV) private readonly env: NotifierEnv,
    private readonly sender: PushSender,
    private readonly subscriptions: SubscriptionRepository,
    private readonly log: DeliveryLogRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async push(
    userId: string,
    tip: Tip,
    devices: readonly StoredSubscription[],
    settings: PushSettings,
    now: Date,
  ): Promise<TipPushResult> {
    const payload = tipNotification(tip, now, settings.timeZone);
    const options = {
      ttlSeconds: this.ttlSeconds(settings, now),
      urgency: urgencyOf(tip, now, settings.timeZone),
      topic: topicFor(userId),
    };
    const usable = await this.withoutStaleKeys(devices);
    const ready = usable.filter((device) => !device.retryAfter || device.retryAfter <= now);
    const deliveries = await Promise.all(
      ready.map(async (device) => {
        const delivery = await this.sender.send(device, payload, options, (attempt) =>
          this.log.record({
            userId,
            tipId: tip.tipId,
            endpointHash: device.endpointHash,
            ...attempt,
            at: new Date(),
          }),
        );
        const failuresInARow = await this.settle(userId, tip.tipId, device, delivery);
        return { ...delivery, failuresInARow };
      }),
    );
    const retryAts = deliveries.flatMap((delivery) => (delivery.retryAt ? [delivery.retryAt] : []));
    const paused = usable.flatMap((device) =>
      device.retryAfter && device.retryAfter > now ? [device.retryAfter] : [],
    );
    const earliest = [...retryAts, ...paused].sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      sent: deliveries.filter((delivery) => delivery.outcome === 'sent').length,
      ...(earliest ? { retryAt: earliest } : {}),
      failuresInARow: Math.min(...deliveries.map((delivery) => delivery.failuresInARow)),
    };
  }

  /**
   * Devices subscribed with another VAPID key than ours (it was replaced) are dropped: push
   * services refuse every push we sign for them. The browser subscribes again with the new
   * key on its next visit.
   */
  private async withoutStaleKeys(
    devices: readonly StoredSubscription[],
  ): Promise<StoredSubscription[]> {
    const usable: StoredSubscription[] = [];
    for (const device of devices) {
      if (device.vapidKey === this.env.VAPID_PUBLIC_KEY) {
        usable.push(device);
        continue;
      }
      await this.subscriptions.removeGone(device.endpointHash);
      this.logger.log(
        `push_device_dropped reason=vapid_key_changed endpoint=${device.endpointHash.slice(0, 12)}`,
      );
    }
    return usable;
  }

  /**
   * What one device's delivery means for its subscription, and its `push.sent`; answers the
   * pushes in a row the device has not taken now.
   */
  private async settle(
    userId: string,
    tipId: string,
    device: StoredSubscription,
    delivery: Delivery,
  ): Promise<number> {
    const { endpointHash } = device;
    let failuresInARow = device.failures;
    switch (delivery.outcome) {
      case 'sent':
        await this.subscriptions.markSent(endpointHash, new Date());
        failuresInARow = 0;
        break;
      case 'gone':
        await this.subscriptions.removeGone(endpointHash);
        break;
      case 'rate_limited':
        await this.subscriptions.pauseUntil(endpointHash, delivery.retryAt!);
        break;
      case 'rejected':
        this.reportRejection(device, delivery);
        failuresInARow = await this.countFailure(device);
        break;
      case 'failed':
        this.logger.warn(
          `push_failed endpoint=${endpointHash.slice(0, 12)} attempts=${delivery.attempts} ${delivery.statusCode ?? delivery.detail ?? ''}`,
        );
        failuresInARow = await this.countFailure(device);
        break;
    }
    await this.publisher.publish('push.sent', userId, {
      tipId,
      endpointHash,
      status: delivery.outcome,
      ...(delivery.statusCode === undefined ? {} : { statusCode: delivery.statusCode }),
      attempts: delivery.attempts,
    });
    return failuresInARow;
  }

  private async countFailure(device: StoredSubscription): Promise<number> {
    const failures = await this.subscriptions.countFailure(device.endpointHash);
    if (failures >= MAX_FAILURES_IN_A_ROW) {
      await this.subscriptions.removeGone(device.endpointHash);
      this.logger.warn(
        `push_device_dropped reason=failures_in_a_row count=${failures} endpoint=${device.endpointHash.slice(0, 12)}`,
      );
    }
    return failures;
  }

  /**
   * 400/401/403/413: what we send is wrong (VAPID keys, subject, payload) and every push would
   * fail alike, so an operator hears it once with the push service's reason.
   */
  private reportRejection(device: StoredSubscription, delivery: Delivery): void {
    const status = delivery.statusCode ?? 'none';
    const pushService = new URL(device.endpoint).host;
    // Keyed by what names the mistake, not by the answer's text (which may carry ids).
    const reason = `${status} ${pushService}`;
    if (this.reportedRejections.has(reason)) return;
    if (this.reportedRejections.size >= MAX_REPORTED_REJECTIONS) this.reportedRejections.clear();
    this.reportedRejections.add(reason);
    this.logger.error(
      `push_rejected status=${status} push_service=${pushService} reason=${JSON.stringify(delivery.detail ?? '')}: check VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT and the payload size`,
    );
  }

  /**
   * The push service keeps a push for an offline device this long: PUSH_TTL_SECONDS, never past
   * the start of the user's quiet hours (a phone switched on at midnight shows no tip).
   */
  private ttlSeconds(settings: PushSettings, now: Date): number {
    const { timeZone, quietHours } = settings;
    // Start and end alike: never quiet.
    if (quietHours.start === quietHours.end) return this.env.PUSH_TTL_SECONDS;
    let quietStart = zonedInstant(localDate(now, timeZone), quietHours.start, timeZone);
    if (quietStart <= now) {
      quietStart = zonedInstant(
        localDate(nextLocalMidnight(now, timeZone), timeZone),
        quietHours.start,
        timeZone,
      );
    }
    const untilQuiet = Math.floor((quietStart.getTime() - now.getTime()) / 1000);
    return Math.max(0, Math.min(this.env.PUSH_TTL_SECONDS, untilQuiet));
  }
}
