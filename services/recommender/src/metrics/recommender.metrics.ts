import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** What an operator watches of the tip decisions on /metrics. */
@Injectable()
export class RecommenderMetrics {
  readonly tipsServed: Counter<'policy' | 'channel'>;
  readonly scorerFallbacks: Counter<'reason'>;
  readonly decisionSeconds: Histogram<'outcome'>;
  readonly servedPublishDeferred: Counter;
  readonly tipsEndedTaskGone: Counter<'via'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.tipsServed = new Counter({
      name: 'oo_recommender_tips_served_total',
      help: 'New tips decided and logged, by the policy that chose and the channel (a tip served again is not counted).',
      labelNames: ['policy', 'channel'],
      registers,
    });
    this.scorerFallbacks = new Counter({
      name: 'oo_recommender_scorer_fallbacks_total',
      help: 'Decisions the random policy made because the scorer did not answer, by reason: timeout (slower than RECOMMENDER_SCORER_TIMEOUT_MS), no_responders (down), error.',
      labelNames: ['reason'],
      registers,
    });
    this.decisionSeconds = new Histogram({
      name: 'oo_recommender_decision_duration_seconds',
      help: 'Time to answer rpc.recommender.recommend, by outcome: new (a decision), open (the open tip again), none (nothing to suggest).',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.servedPublishDeferred = new Counter({
      name: 'oo_recommender_served_publish_deferred_total',
      help: 'tip.served events left to the relay because too many publishes were already waiting for JetStream (slow or away).',
      registers,
    });
    this.tipsEndedTaskGone = new Counter({
      name: 'oo_recommender_tips_ended_task_gone_total',
      help: 'Open tips ended because their task left the user’s open tasks, by how that was learnt: sync (task.synced without it), disconnect (integration.disconnected), check (integrations asked when the tip was served again).',
      labelNames: ['via'],
      registers,
    });
  }
}
