import { D5, X11, type FeatureSet } from './features/feature-sets.js';
import type { PopulationPrior } from './linucb/population-prior.js';

/** live: its choice is shown. shadow: scored and logged on every call, never shown. */
export type PolicyStatus = 'live' | 'shadow';

export interface Policy {
  readonly name: string;
  readonly featureSet: FeatureSet;
  readonly status: PolicyStatus;
  readonly description: string;
  /**
   * What the policy assumes before its population has a prior (`A = I + Σ x xᵀ` when unset):
   * a belief, not data.
   */
  readonly basePrior?: PopulationPrior;
}

/**
 * What every policy believes before its population has a prior: what the heuristic believes —
 * priority first, then overdue — with the weight of two reactions, so a user's own reactions
 * overrule it within a few decisions. A fresh deployment then starts better than textbook
 * LinUCB (whose θ = 0 picks by the bonus alone) on every population of the learning suite:
 * +2 to +17 points of the oracle's gain in decisions 1–25, the same after 125, and within 5 %
 * of the heuristic on the heuristic's own users (`npm run bench -- learning-suite`).
 */
export const STARTING_BELIEF: Readonly<Record<string, number>> = {
  priority: 0.5,
  is_overdue: 0.2,
};
export const STARTING_STRENGTH = 2;

/**
 * Strength (in observations) of the belief that the task × hour terms are 0, before the
 * population says otherwise: x11 then decides as d5 does, and only a population whose tastes
 * do change with the hour (its prior's spread on those terms) lets them move. Without it, a new
 * deployment pays for six more weights than most users need (3–6 points behind d5 in its first
 * 25 decisions on every population but `hourly`).
 */
export const INTERACTION_PRECISION = 10_000;

function startingPrior(set: FeatureSet): PopulationPrior {
  const d = set.columns.length;
  const interaction = (i: number) => set.columns[i]!.includes('×');
  return {
    components: [
      {
        weight: 1,
        theta0: set.columns.map((column) => STARTING_BELIEF[column] ?? 0),
        precision: Array.from({ length: d }, (_, i) =>
          Array.from({ length: d }, (_, j) =>
            i === j ? (interaction(i) ? INTERACTION_PRECISION : STARTING_STRENGTH) : 0,
          ),
        ),
        users: 0,
      },
    ],
    users: 0,
    noiseVariance: 1,
    computedAt: new Date(0).toISOString(),
  };
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
    basePrior: startingPrior(D5),
  },
  {
    name: 'linucb-x11',
    featureSet: X11,
    status: 'shadow',
    description: 'LinUCB with task × time-of-day interactions, so the hour can change the winner.',
    basePrior: startingPrior(X11),
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
  /** The prior a user of `policy` starts from: the population's, else the policy's own belief. */
  startingPrior(
    policy: Policy,
    populationPrior: PopulationPrior | undefined,
  ): PopulationPrior | undefined {
    return populationPrior ?? policy.basePrior;
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
