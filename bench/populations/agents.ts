/**
 * The policies a simulated user can be served by: the oracle, uniform random, the "priority,
 * then overdue" heuristic, and LinUCB running the scorer's production math in process
 * (solvePosterior, scoreCandidates, chooseCandidate, ModelState.apply).
 */
import {
  chooseCandidate,
  DEFAULT_EXPLORATION,
  explorationFor,
  ModelState,
  policyRegistry,
  scoreCandidates,
  solvePosterior,
  type ExplorationSettings,
  type PopulationPrior,
} from '@oo/learning';
import { dimensionOf, policyOf, sampleReward, type Decision, type SetName } from './world.js';

/** The scorer's production defaults (SCORER_ALPHA, SCORER_EPSILON and their _WITH_PRIOR). */
export const PRODUCTION_EXPLORATION: ExplorationSettings = DEFAULT_EXPLORATION;

/** Plain LinUCB as textbooks give it: α = 1 and no uniform picks (ridge λ = 1 is `A = I`). */
export const TEXTBOOK_EXPLORATION: ExplorationSettings = {
  alpha: 1,
  epsilon: 0,
  alphaWithPrior: 1,
  epsilonWithPrior: 0,
};

export interface Agent {
  choose(decision: Decision): number;
  /** Learns the reaction to the task it chose; fixed policies ignore it. */
  learn(decision: Decision, chosen: number, reward: number): void;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k += 1) if (values[k]! > values[best]!) best = k;
  return best;
}

export const oracle: Agent = {
  choose: (decision) => argmax(decision.options.map((option) => option.expected)),
  learn: () => undefined,
};

/** Highest priority, then overdue before not, then the first listed. */
export const heuristic: Agent = {
  choose: (decision) => {
    let best = 0;
    decision.options.forEach(({ base }, k) => {
      const leader = decision.options[best]!.base;
      if (
        base.priority > leader.priority ||
        (base.priority === leader.priority && base.is_overdue > leader.is_overdue)
      ) {
        best = k;
      }
    });
    return best;
  },
  learn: () => undefined,
};

export function randomAgent(random: () => number): Agent {
  return {
    choose: (decision) => Math.floor(random() * decision.options.length),
    learn: () => undefined,
  };
}

export interface AgentOptions {
  /** An x11 model also learns from the same reactions, as shadows do. */
  teachesX11?: boolean;
  /** Without a population prior, start from the policy's starting belief (else `A = I`). */
  startingBelief?: boolean;
}

/**
 * One user's LinUCB as the scorer runs it: the population's prior when there is one, else the
 * policy's own starting belief, and the exploration rule of `explorationFor`.
 */
export class LinUcbAgent implements Agent {
  readonly state: ModelState;
  readonly x11State: ModelState | undefined;
  private readonly prior: PopulationPrior | undefined;
  private readonly alpha: number;
  private readonly epsilon: number;

  constructor(
    private readonly set: SetName,
    populationPrior: PopulationPrior | undefined,
    settings: ExplorationSettings,
    private readonly random: () => number,
    { teachesX11 = false, startingBelief = true }: AgentOptions = {},
  ) {
    this.state = ModelState.empty(dimensionOf(set));
    this.x11State = teachesX11 ? ModelState.empty(dimensionOf('x11')) : undefined;
    this.prior = startingBelief
      ? policyRegistry.startingPrior(policyOf(set), populationPrior)
      : populationPrior;
    ({ alpha: this.alpha, epsilon: this.epsilon } = explorationFor(settings, populationPrior));
  }

  choose(decision: Decision): number {
    const posterior = solvePosterior(this.state, this.prior);
    const scores = scoreCandidates(posterior, decision[this.set], this.alpha);
    return chooseCandidate(scores, this.epsilon, this.random).index;
  }

  learn(decision: Decision, chosen: number, reward: number): void {
    this.state.apply(reward, decision[this.set][chosen]!.features);
    this.x11State?.apply(reward, decision.x11[chosen]!.features);
  }
}

/** Lets an agent live through a user's decisions; returns the expected reward of each choice. */
export function live(agent: Agent, life: readonly Decision[], random: () => number): number[] {
  return life.map((decision) => {
    const chosen = agent.choose(decision);
    const option = decision.options[chosen]!;
    agent.learn(decision, chosen, sampleReward(option, random));
    return option.expected;
  });
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
