import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { SignupOutcome } from '../signups/signup.repository.js';

/** Sign-ups on /metrics: how many the recommender has seen, the base of activation. */
@Injectable()
export class SignupMetrics {
  readonly signups: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.signups = new Counter({
      name: 'oo_recommender_signups_total',
      help: 'signals.user.signed_up events handled, by outcome: recorded (a new user), duplicate (a redelivery, or a user already recorded).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const outcome of ['recorded', 'duplicate'] satisfies SignupOutcome[]) {
      this.signups.labels(outcome).inc(0);
    }
  }
}
