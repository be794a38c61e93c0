import type { Envelope } from '@oo/contracts';
import { quantize } from '@oo/learning';
import { InvalidEventError } from '@oo/messaging';
import {
  checkFeatures,
  resolveLearner,
  resolvePolicy,
  type Checked,
} from '../policies/policy-checks.js';
import type { Observation } from '../store/model.repository.js';

export interface FeedbackObservations {
  observations: Observation[];
  /** Shadow entries naming a policy that no longer exists (retired since publication). */
  skipped: string[];
}

function orInvalid<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new InvalidEventError(checked.problem.message);
  return checked.value;
}

/**
 * What one feedback event teaches: its policy's model (the live one for a `random` decision,
 * whose features are the live policy's) and every shadow model it names. Live
 * learning and the rebuild both use this, so a replay learns exactly what live learning did.
 * Throws InvalidEventError for an event no model can learn from.
 */
export function observationsOf(event: Envelope<'tip.feedback'>): FeedbackObservations {
  const { data } = event;
  const reward = quantize(data.reward);
  const policy = orInvalid(resolveLearner(data.policy, 'data.policy'));
  const observations: Observation[] = [
    {
      policy: policy.name,
      reward,
      features: orInvalid(checkFeatures(policy, data.features, 'data.features')),
    },
  ];
  const skipped: string[] = [];
  for (const [k, shadow] of (data.shadow ?? []).entries()) {
    const known = resolvePolicy(shadow.policy, `data.shadow[${k}].policy`);
    if (!known.ok) {
      skipped.push(known.problem.message);
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
  return { observations, skipped };
}
