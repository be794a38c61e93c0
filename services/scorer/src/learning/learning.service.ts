import { Injectable, Logger } from '@nestjs/common';
import type { Envelope } from '@oo/contracts';
import { quantize } from '@oo/learning';
import { InvalidEventError } from '@oo/messaging';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { checkFeatures, resolvePolicy, type Checked } from '../policies/policy-checks.js';
import { ModelRepository, type ApplyOutcome, type Observation } from '../store/model.repository.js';

function orInvalid<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new InvalidEventError(checked.problem.message);
  return checked.value;
}

/** Learns from reactions: each feedback event updates its policy's model and its shadows'. */
@Injectable()
export class LearningService {
  private readonly logger = new Logger(LearningService.name);

  constructor(
    private readonly models: ModelRepository,
    private readonly metrics: ScorerMetrics,
  ) {}

  async learn(event: Envelope<'tip.feedback'>): Promise<ApplyOutcome> {
    const { data } = event;
    const reward = quantize(data.reward);
    const policy = orInvalid(resolvePolicy(data.policy, 'data.policy'));
    const observations: Observation[] = [
      {
        policy: policy.name,
        reward,
        features: orInvalid(checkFeatures(policy, data.features, 'data.features')),
      },
    ];
    for (const [k, shadow] of (data.shadow ?? []).entries()) {
      const known = resolvePolicy(shadow.policy, `data.shadow[${k}].policy`);
      // A policy retired since the event was published: its model is gone, nothing to teach.
      if (!known.ok) {
        this.logger.warn(`${event.id}: ${known.problem.message}; skipped`);
        continue;
      }
      if (observations.some((observation) => observation.policy === known.value.name)) {
        throw new InvalidEventError(`data.shadow[${k}].policy '${shadow.policy}' is named twice`);
      }
      const features = orInvalid(
        checkFeatures(known.value, shadow.features, `data.shadow[${k}].features`),
      );
      observations.push({ policy: known.value.name, reward, features });
    }

    const outcome = await this.models.applyFeedback(event.userId, event.id, observations);
    this.metrics.feedback.inc({ outcome });
    if (outcome === 'applied') {
      for (const { policy: name } of observations) this.metrics.updates.inc({ policy: name });
    }
    return outcome;
  }
}
