import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { LearningService } from './learning.service.js';

/** `signals.tip.feedback.*` → the user's models. Events arrive validated against schemas/. */
@Controller()
export class FeedbackConsumer {
  constructor(private readonly learning: LearningService) {}

  @EventPattern<string>('signals.tip.feedback.*')
  async onFeedback(@Payload() event: Envelope<'tip.feedback'>): Promise<void> {
    await this.learning.learn(event);
  }
}
