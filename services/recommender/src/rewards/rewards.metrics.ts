import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { DelayedRewardOutcome } from './delayed-rewards.js';

/**
 * What an operator watches of the rewards oO infers itself, besides the reactions they record
 * (`oo_recommender_reactions_total{action, source}`, counted by `TipReactions`): what each
 * completion came to, whether the sweeper runs, and how much feedback it had to relay.
 */
@Injectable()
export class RewardsMetrics {
  readonly completions: Counter<'via' | 'outcome'>;
  readonly sweeps: Counter<'outcome'>;
  readonly relayed: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.completions = new Counter({
      name: 'oo_recommender_task_completions_total',
      help: 'task.completed events handled, by via and outcome (rewarded: a done +1 for its tip).',
      labelNames: ['via', 'outcome'],
      registers,
    });
    this.sweeps = new Counter({
      name: 'oo_recommender_sweeps_total',
      help: 'Rewards sweeps, by outcome: swept, expiry_elsewhere (another instance held the expiry pass), failed.',
      labelNames: ['outcome'],
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
