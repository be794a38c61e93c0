import type { PopulationPrior } from './population-prior.js';

/**
 * The scorer's exploration settings (SCORER_ALPHA, SCORER_EPSILON while a policy's population
 * has no prior; SCORER_ALPHA_WITH_PRIOR, SCORER_EPSILON_WITH_PRIOR once it has one).
 */
export interface ExplorationSettings {
  /** UCB width while the population has no prior for the policy: the user explores alone. */
  alpha: number;
  /** Share of uniform picks then. */
  epsilon: number;
  /**
   * UCB width once it has one: the prior already says where a new user's taste likely lies,
   * so a narrower bonus is enough (a full α = 1 then over-explores, worst on sparse reactions).
   */
  alphaWithPrior: number;
  /** Share of uniform picks then. */
  epsilonWithPrior: number;
}

/**
 * Chosen by the worst population of `npm run bench -- learning-suite` (bench/README.md).
 * Without a prior, no uniform picks: a new deployment decides like LinUCB from the starting
 * belief, and there is no population to judge shadows on yet. With one, ε = 0.01 keeps every
 * candidate's propensity > 0, so shadows can be judged off-policy, for about a point of reward
 * (0.05 cost four to five).
 */
export const DEFAULT_EXPLORATION: ExplorationSettings = {
  alpha: 1,
  epsilon: 0,
  alphaWithPrior: 0.5,
  epsilonWithPrior: 0.01,
};

/** How one decision explores: α for the UCB bonus and ε for uniform picks. */
export interface DecisionExploration {
  alpha: number;
  epsilon: number;
}

/** The exploration of a decision under `settings`, given the population's prior (if any). */
export function explorationFor(
  settings: ExplorationSettings,
  populationPrior: PopulationPrior | undefined,
): DecisionExploration {
  return populationPrior
    ? { alpha: settings.alphaWithPrior, epsilon: settings.epsilonWithPrior }
    : { alpha: settings.alpha, epsilon: settings.epsilon };
}
