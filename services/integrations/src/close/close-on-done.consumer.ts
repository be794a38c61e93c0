import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import type { EventPatternExtras } from '@oo/messaging';
import { CloseOnDone } from './close-on-done.js';

/**
 * Retries outlast Todoist's rate-limit window: a 429 asks for up to 15 minutes, and 10
 * deliveries backing off from 2 s (doubling, capped at 15 min) span about 17 minutes before
 * the event is dead-lettered. Each delivery's 5xx are retried by the client first.
 */
const RETRIES: EventPatternExtras = { backoff: { initialMs: 2_000, maxMs: 900_000 } };

/**
 * `signals.tip.feedback.*` → a done closes its task at Todoist (durable
 * `integrations__tip_feedback`). Events arrive validated against schemas/; an invalid one is
 * dead-lettered by the consumer with the reason.
 */
@Controller()
export class CloseOnDoneConsumer {
  constructor(private readonly closeOnDone: CloseOnDone) {}

  @EventPattern<string>('signals.tip.feedback.*', RETRIES)
  async onFeedback(@Payload() event: Envelope<'tip.feedback'>): Promise<void> {
    await this.closeOnDone.handle(event);
  }
}
