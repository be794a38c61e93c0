import { D5, X11, type FeatureSet } from './features/feature-sets.js';

/** live: its choice is shown. shadow: scored and logged on every call, never shown. */
export type PolicyStatus = 'live' | 'shadow';

export interface Policy {
  readonly name: string;
  readonly featureSet: FeatureSet;
  readonly status: PolicyStatus;
  readonly description: string;
}

/**
 * Every policy the scorer can learn and score. WARNING: names are contracts (events and Redis
 * keys carry them); a policy with different features gets a new name, never an edited set.
 */
const POLICIES: readonly Policy[] = [
  {
    name: 'linucb-d5',
    featureSet: D5,
    status: 'live',
    description: 'LinUCB on hour, overdue, age and priority (the original five features).',
  },
  {
    name: 'linucb-x11',
    featureSet: X11,
    status: 'shadow',
    description: 'LinUCB with task × time-of-day interactions, so the hour can change the winner.',
  },
];

const byName = new Map(POLICIES.map((policy) => [policy.name, policy]));

/**
 * The recommender's fallback when it cannot reach the scorer: a uniform draw, propensity 1/n.
 * Never a model and never scored, but a name events carry like any policy's. Feedback on a
 * random tip teaches the live model (the event carries the live policy's features of the
 * served task), so a reaction is never wasted and its propensity keeps off-policy evaluation
 * honest.
 */
export const RANDOM_POLICY = 'random';

export const policyRegistry = {
  all(): readonly Policy[] {
    return POLICIES;
  },
  get(name: string): Policy | undefined {
    return byName.get(name);
  },
  /** The one policy whose choice users see. */
  live(): Policy {
    const live = POLICIES.find((policy) => policy.status === 'live');
    if (!live) throw new Error('The policy registry has no live policy');
    return live;
  },
  shadows(): Policy[] {
    return POLICIES.filter((policy) => policy.status === 'shadow');
  },
  /** The names of the models (what can be scored, learned, reset); `random` is not one. */
  names(): string[] {
    return POLICIES.map((policy) => policy.name);
  },
  /** True for a policy name that decides without a model (`random`). */
  isModelFree(name: string): boolean {
    return name === RANDOM_POLICY;
  },
  /**
   * The model that learns from feedback logged under this policy name: the policy itself, the
   * live policy for `random`, undefined for a name nobody knows. The one rule that maps
   * decisions to models: live learning and the rebuild both go through it.
   */
  learnerOf(name: string): Policy | undefined {
    return name === RANDOM_POLICY ? policyRegistry.live() : byName.get(name);
  },
};
