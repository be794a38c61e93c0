import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { DelayedRewardOutcome } from './delayed-rewards.js';

/** What an operator watches of the rewards oO infers itself (completions seen, expiries). */
@Injectable()
export class RewardsMetrics {
  readonly completions: Counter<'via' | 'outcome'>;
  readonly expired: Counter;
  readonly relayed: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.completions = new Counter({
      name: 'oo_recommender_task_completions_total',
      help: 'task.completed events handled, by via and outcome (rewarded: a done +1 for its tip).',
      labelNames: ['via', 'outcome'],
      registers,
    });
    this.expired = new Counter({
      name: 'oo_recommender_tips_expired_total',
      help: 'Tips recorded as expired (reward 0) by the sweeper.',
      registers,
    });
    this.relayed = new Counter({
      name: 'oo_recommender_feedback_relayed_total',
      help: 'Stored reactions whose feedback event the sweeper published after the first attempt failed.',
      registers,
    });
  }

  completion(via: string, outcome: DelayedRewardOutcome): void {
    this.completions.inc({ via, outcome });
  }
}
