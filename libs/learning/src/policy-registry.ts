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
  names(): string[] {
    return POLICIES.map((policy) => policy.name);
  },
};
