import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { DelayedRewards } from './delayed-rewards.js';

/**
 * `signals.task.completed.*` → a delayed reward for the task's tip (durable
 * `recommender__task_completed`, shared by every instance: a completion published while the
 * recommender is down is handled when it is back). Events arrive validated against schemas/;
 * an invalid one is dead-lettered by the consumer with the reason; a failure (Postgres away)
 * is retried with back-off, then dead-lettered.
 */
@Controller()
export class TaskCompletedConsumer {
  constructor(private readonly rewards: DelayedRewards) {}

  @EventPattern<string>('signals.task.completed.*')
  async onCompleted(@Payload() event: Envelope<'task.completed'>): Promise<void> {
    await this.rewards.handle(event);
  }
}
