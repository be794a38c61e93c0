import { policyRegistry, quantize, type Policy } from '@oo/learning';

/** Why a request or event cannot be scored or learned from, with the field to blame. */
export interface Problem {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

function unknownPolicy(name: string, field: string): Checked<never> {
  return {
    ok: false,
    problem: {
      field,
      message: `${field} '${name}' is not a known policy (${policyRegistry.names().join(', ')})`,
    },
  };
}

/**
 * The named model, or the live one when no name is given: what scoring, stats and reset use.
 * `random` is refused: it has no model, and its decisions are drawn by the caller.
 */
export function resolvePolicy(name: string | undefined, field = 'policy'): Checked<Policy> {
  if (name === undefined) return { ok: true, value: policyRegistry.live() };
  if (policyRegistry.isModelFree(name)) {
    return {
      ok: false,
      problem: {
        field,
        message: `${field} '${name}' has no model: the scorer does not serve ${name} decisions (the caller draws them); name a model (${policyRegistry.names().join(', ')}) or omit ${field} for the live one`,
      },
    };
  }
  const policy = policyRegistry.get(name);
  return policy ? { ok: true, value: policy } : unknownPolicy(name, field);
}

/** The model that learns from feedback logged under this policy (the live one for `random`). */
export function resolveLearner(name: string, field: string): Checked<Policy> {
  const policy = policyRegistry.learnerOf(name);
  return policy ? { ok: true, value: policy } : unknownPolicy(name, field);
}

/**
 * A feature vector this policy can use: the right length, every value finite and within
 * [-1, 1]. Values are rounded to the feature grid (a no-op for vectors built by @oo/learning).
 */
export function checkFeatures(
  policy: Policy,
  features: readonly number[],
  field: string,
): Checked<number[]> {
  const d = policy.featureSet.columns.length;
  if (features.length !== d) {
    return {
      ok: false,
      problem: {
        field,
        message: `${field} has ${features.length} values; ${policy.name} takes ${d} (${policy.featureSet.columns.join(', ')})`,
      },
    };
  }
  const vector = new Array<number>(d);
  for (let i = 0; i < d; i += 1) {
    const value = features[i]!;
    if (!Number.isFinite(value) || value < -1 || value > 1) {
      return {
        ok: false,
        problem: {
          field: `${field}[${i}]`,
          message: `${field}[${i}] (${policy.featureSet.columns[i]}) must be a finite number within [-1, 1]`,
        },
      };
    }
    vector[i] = quantize(value);
  }
  return { ok: true, value: vector };
}
