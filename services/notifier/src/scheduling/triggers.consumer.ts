import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { PushClaims } from './push-claims.js';
import { PushDecider } from './push-decider.js';

/**
 * What makes the notifier look at a user besides its timer (durables `notifier__task_synced`,
 * `notifier__tip_served`, shared by every instance). Redelivery is harmless: a look takes a
 * push slot atomically, and a tip already recorded is recorded again with the same time.
 */
@Controller()
export class PushTriggersConsumer {
  constructor(
    private readonly decider: PushDecider,
    private readonly claims: PushClaims,
  ) {}

  /** The user's tasks changed: maybe there is something worth a push now. */
  @EventPattern<string>('signals.task.synced.*')
  async onTasksSynced(@Payload() event: Envelope<'task.synced'>): Promise<void> {
    await this.decider.consider(event.userId);
  }

  /** A task shown on the web is not pushed soon after; a pushed one not again within 24 h. */
  @EventPattern<string>('signals.tip.served.*')
  async onTipServed(@Payload() event: Envelope<'tip.served'>): Promise<void> {
    const { channel, taskId } = event.data;
    await this.claims.recordShown(event.userId, channel, taskId, Date.parse(event.occurredAt));
  }
}
