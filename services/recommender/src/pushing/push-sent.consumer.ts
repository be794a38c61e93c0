import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { RecommendService } from '../deciding/recommend.service.js';

/**
 * `signals.push.sent.*` → the push decision a device accepted becomes a served tip (durable
 * `recommender__push_sent`, shared by every instance). Other outcomes change nothing here: a
 * decision no device accepted is discarded by the sweeper. Confirming twice is a no-op, so a
 * redelivery or a second device's `sent` is harmless.
 */
@Controller()
export class PushSentConsumer {
  constructor(private readonly recommender: RecommendService) {}

  @EventPattern<string>('signals.push.sent.*')
  async onPushSent(@Payload() event: Envelope<'push.sent'>): Promise<void> {
    if (event.data.status !== 'sent') return;
    await this.recommender.confirmPush(event.userId, event.data.tipId, new Date(event.occurredAt));
  }
}
