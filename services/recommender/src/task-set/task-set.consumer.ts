import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import type { EventPatternExtras } from '@oo/messaging';
import { GoneTasks } from './gone-tasks.js';

/**
 * A new durable starts at the events published from then on: an older set or disconnect says
 * nothing about the tips open now that a newer one has not said already.
 */
const FROM_NOW: EventPatternExtras = { deliverFrom: 'new' };

/**
 * `signals.task.synced.*` (durable `recommender__task_synced`) and
 * `signals.integration.disconnected.*` (`recommender__integration_disconnected`) → the open
 * tips whose task is gone end. Events arrive validated against schemas/; an invalid one is
 * dead-lettered by the consumer with the reason; a failure (Postgres away) is retried.
 */
@Controller()
export class TaskSetConsumer {
  constructor(private readonly goneTasks: GoneTasks) {}

  @EventPattern<string>('signals.task.synced.*', FROM_NOW)
  async onSynced(@Payload() event: Envelope<'task.synced'>): Promise<void> {
    await this.goneTasks.afterSync(event);
  }

  @EventPattern<string>('signals.integration.disconnected.*', FROM_NOW)
  async onDisconnected(@Payload() event: Envelope<'integration.disconnected'>): Promise<void> {
    await this.goneTasks.afterDisconnect(event);
  }
}
