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
}

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
    const ready = devices.filter((device) => !device.retryAfter || device.retryAfter <= now);
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
        await this.settle(userId, tip.tipId, device, delivery);
        return delivery;
      }),
    );
    const retryAts = deliveries.flatMap((delivery) => (delivery.retryAt ? [delivery.retryAt] : []));
    const paused = devices.flatMap((device) =>
      device.retryAfter && device.retryAfter > now ? [device.retryAfter] : [],
    );
    const earliest = [...retryAts, ...paused].sort((a, b) => a.getTime() - b.getTime())[0];
    return {
      sent: deliveries.filter((delivery) => delivery.outcome === 'sent').length,
      ...(earliest ? { retryAt: earliest } : {}),
    };
  }

  /** What one device's delivery means for its subscription, and its `push.sent`. */
  private async settle(
    userId: string,
    tipId: string,
    device: StoredSubscription,
    delivery: Delivery,
  ): Promise<void> {
    const { endpointHash } = device;
    switch (delivery.outcome) {
      case 'sent':
        await this.subscriptions.markSent(endpointHash, new Date());
        break;
      case 'gone':
        await this.subscriptions.removeGone(endpointHash);
        break;
      case 'rate_limited':
        await this.subscriptions.pauseUntil(endpointHash, delivery.retryAt!);
        break;
      case 'rejected':
        this.reportRejection(endpointHash, delivery);
        break;
      case 'failed':
        this.logger.warn(
          `push_failed endpoint=${endpointHash.slice(0, 12)} attempts=${delivery.attempts} ${delivery.statusCode ?? delivery.detail ?? ''}`,
        );
        break;
    }
    await this.publisher.publish('push.sent', userId, {
      tipId,
      endpointHash,
      status: delivery.outcome,
      ...(delivery.statusCode === undefined ? {} : { statusCode: delivery.statusCode }),
      attempts: delivery.attempts,
    });
  }

  /**
   * 400/401/403/413: what we send is wrong (VAPID keys, subject, payload) and every push would
   * fail alike, so an operator hears it once with the push service's reason.
   */
  private reportRejection(endpointHash: string, delivery: Delivery): void {
    const origin = delivery.statusCode ?? 'none';
    const reason = `${origin} ${delivery.detail ?? ''}`.trim();
    if (this.reportedRejections.has(reason)) return;
    this.reportedRejections.add(reason);
    this.logger.error(
      `push_rejected status=${origin} endpoint=${endpointHash.slice(0, 12)} reason=${JSON.stringify(delivery.detail ?? '')}: check VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT and the payload size`,
    );
  }

  /**
   * The push service keeps a push for an offline device this long: PUSH_TTL_SECONDS, never past
   * the start of the user's quiet hours (a phone switched on at midnight shows no tip).
   */
  private ttlSeconds(settings: PushSettings, now: Date): number {
    const { timeZone, quietHours } = settings;
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
