import { Injectable, Logger } from '@nestjs/common';
import type { Envelope } from '@oo/contracts';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { PriorService } from '../prior/prior.service.js';
import { ModelRepository, type ApplyOutcome } from '../store/model.repository.js';
import { observationsOf } from './observations.js';

/** Learns from reactions: each feedback event updates its policy's model and its shadows'. */
@Injectable()
export class LearningService {
  private readonly logger = new Logger(LearningService.name);

  constructor(
    private readonly models: ModelRepository,
    private readonly metrics: ScorerMetrics,
    private readonly prior: PriorService,
  ) {}

  async learn(event: Envelope<'tip.feedback'>): Promise<ApplyOutcome> {
    const { observations, skipped } = observationsOf(event);
    for (const reason of skipped) this.logger.warn(`${event.id}: ${reason}; skipped`);
    const outcome = await this.models.applyFeedback(event.userId, event.id, observations);
    this.metrics.feedback.inc({ outcome });
    if (outcome === 'applied') {
      for (const { policy } of observations) this.metrics.updates.inc({ policy });
      this.prior.noteUpdate();
    }
    return outcome;
  }
}
