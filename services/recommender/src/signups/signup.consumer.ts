import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { SignupMetrics } from '../metrics/signup.metrics.js';
import { SignupRepository } from './signup.repository.js';

/**
 * `signals.user.signed_up.*` → a `signup` row (durable `recommender__user_signed_up`, reading
 * from the start of SIGNALS, so users who joined before this consumer existed are counted too).
 * The sign-up's day is the event's `occurredAt`, when auth created the user.
 */
@Controller()
export class SignupConsumer {
  constructor(
    private readonly signups: SignupRepository,
    private readonly metrics: SignupMetrics,
  ) {}

  @EventPattern<string>('signals.user.signed_up.*')
  async onSignedUp(@Payload() event: Envelope<'user.signed_up'>): Promise<void> {
    const outcome = await this.signups.record(event.userId, new Date(event.occurredAt));
    this.metrics.signups.labels(outcome).inc();
  }
}
