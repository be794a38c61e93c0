import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What an operator watches of the learner on /metrics (dead letters: oo_dead_letters_total). */
@Injectable()
export class ScorerMetrics {
  readonly scoreSeconds: Histogram<'policy'>;
  readonly decisions: Counter<'policy' | 'choice'>;
  readonly updates: Counter<'policy'>;
  readonly feedback: Counter<'outcome'>;
  readonly rpcErrors: Counter<'operation' | 'code'>;
  readonly priorUsers: Gauge<'policy'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.scoreSeconds = new Histogram({
      name: 'oo_scorer_score_duration_seconds',
      help: 'Time to answer rpc.scorer.score, from request to reply, by policy.',
      labelNames: ['policy'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    this.decisions = new Counter({
      name: 'oo_scorer_decisions_total',
      help: 'Decisions made, by policy and choice (exploit = UCB argmax, explore = ε draw).',
      labelNames: ['policy', 'choice'],
      registers,
    });
    this.updates = new Counter({
      name: 'oo_scorer_updates_total',
      help: 'Model updates applied, by policy.',
      labelNames: ['policy'],
      registers,
    });
    this.feedback = new Counter({
      name: 'oo_scorer_feedback_events_total',
      help: 'Feedback events, by outcome: applied, duplicate (already applied), erased (user deleted).',
      labelNames: ['outcome'],
      registers,
    });
    this.rpcErrors = new Counter({
      name: 'oo_scorer_rpc_errors_total',
      help: 'RPC requests answered with an error, by operation and code.',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.priorUsers = new Gauge({
      name: 'oo_scorer_prior_users',
      help: 'Users the current population prior was estimated from, by policy (0: no prior).',
      labelNames: ['policy'],
      registers,
    });
  }
}
