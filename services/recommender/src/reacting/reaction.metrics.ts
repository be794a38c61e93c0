import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { ReactionAction, ReactionKind, ReactionSource } from './reaction-rules.js';

/**
 * What an operator watches of reactions on /metrics: how many count, by action and who reported
 * them, and how many the one-per-kind rule refused (a high rate means a client resending).
 */
@Injectable()
export class ReactionMetrics {
  private readonly reactions: Counter<'action' | 'source'>;
  private readonly refused: Counter<'kind'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.reactions = new Counter({
      name: 'oo_recommender_reactions_total',
      help: 'Reactions recorded (each one reward), by action and source (user, webhook, reconcile, expiry).',
      labelNames: ['action', 'source'],
      registers,
    });
    this.refused = new Counter({
      name: 'oo_recommender_reactions_refused_total',
      help: 'Reactions refused because the tip already had one of their kind (terminal or rating).',
      labelNames: ['kind'],
      registers,
    });
  }

  recorded(action: ReactionAction, source: ReactionSource): void {
    this.reactions.inc({ action, source });
  }

  refusedAsRepeat(kind: ReactionKind): void {
    this.refused.inc({ kind });
  }
}
