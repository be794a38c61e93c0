/**
 * Runs one population for one seed: a warm cohort teaches the population prior, then every
 * policy serves the same evaluated users (common random numbers: the same tasks at the same
 * moments and the same uniform draws deciding each reaction, each policy in its own copy of the
 * user's world).
 *
 * Policies: oracle (best expected reward), random (uniform picks), heuristic (priority, then
 * overdue), textbook (LinUCB on d5, α = 1, λ = 1, no prior, no ε), and oO as production runs it
 * today (the registry's live policy and the scorer's exploration rule) both new (no population
 * prior, a fresh deployment) and warm (the prior `estimatePopulationPrior` finds in the warm
 * cohort's models).
 * The warm cohort lives under oO without a prior, as the first users of a deployment would.
 */
import {
  estimatePopulationPrior,
  type ExplorationSettings,
  type ModelState,
  policyRegistry,
  type PopulationPrior,
} from '@oo/learning';
import {
  heuristic,
  LinUcbAgent,
  live,
  mean,
  oracle,
  PRODUCTION_EXPLORATION,
  randomAgent,
  TEXTBOOK_EXPLORATION,
  type Agent,
} from './agents.js';
import {
  drawDecision,
  gainShare,
  windowSum,
  type Decision,
  type DecisionWindow,
  type Population,
  type SetName,
  type SimUser,
  seededStream,
} from './world.js';

export const SUITE_POLICIES = [
  'oracle',
  'random',
  'heuristic',
  'textbook',
  'oO-new',
  'oO-warm',
] as const;
export type SuitePolicy = (typeof SUITE_POLICIES)[number];

/** Per decision index, the sum over users of the chosen task's expected reward. */
export type SuiteCurves = Record<SuitePolicy | 'baseline', Float64Array> & {
  /** The population's reference learner (`Population.bound`), where it has one. */
  bound?: Float64Array;
};

export interface RunOptions {
  warmUsers: number;
  evalUsers: number;
  decisions: number;
  seed: number;
}

export interface RunResult {
  population: string;
  options: RunOptions;
  prior: PopulationPrior;
  /** `baseline` is random's exact expectation (the mean over the shown tasks): the zero of gain. */
  curves: SuiteCurves;
}

const WARM_COHORT = 1;
const EVAL_COHORT = 2;
/** Fixed so that priors carry the same timestamp run after run. */
const PRIOR_COMPUTED_AT = new Date('2026-01-01T00:00:00.000Z');

/** The registry's live policy and the feature set it learns from. */
function liveSet(): SetName {
  const name = policyRegistry.live().featureSet.name;
  if (name !== 'd5' && name !== 'x11') throw new Error(`no simulated features for ${name}`);
  return name;
}

const stream = seededStream;

/** One user of a population and their decisions, from the seed alone. */
export function drawLife(
  population: Population,
  seed: number,
  cohort: number,
  index: number,
  decisions: number,
): { user: SimUser; life: Decision[] } {
  const random = stream(seed, cohort, index, 0);
  const user = population.drawUser(random);
  const life = Array.from({ length: decisions }, (_, t) => drawDecision(user, t, random));
  return { user, life };
}

/**
 * The population priors of d5 and x11 that a warm cohort of `users` teaches: the first users of
 * a deployment, living under d5 (the live policy) with `settings` and no population prior, each
 * also teaching an
 * x11 model from the same reactions, as shadows learn.
 */
export function warmCohortPriors(
  population: Population,
  { seed, users, decisions }: { seed: number; users: number; decisions: number },
  settings: ExplorationSettings,
): Record<SetName, PopulationPrior | undefined> {
  const states: Record<SetName, ModelState[]> = { d5: [], x11: [] };
  for (let index = 0; index < users; index += 1) {
    const { life } = drawLife(population, seed, WARM_COHORT, index, decisions);
    const agent = new LinUcbAgent('d5', undefined, settings, stream(seed, WARM_COHORT, index, 1), {
      teachesX11: true,
    });
    live(agent, life, stream(seed, WARM_COHORT, index, 2));
    states.d5.push(agent.state);
    states.x11.push(agent.x11State!);
  }
  return {
    d5: estimatePopulationPrior(states.d5, undefined, PRIOR_COMPUTED_AT),
    x11: estimatePopulationPrior(states.x11, undefined, PRIOR_COMPUTED_AT),
  };
}

function warmPrior(population: Population, options: RunOptions): PopulationPrior {
  const cohort = { seed: options.seed, users: options.warmUsers, decisions: options.decisions };
  const prior = warmCohortPriors(population, cohort, PRODUCTION_EXPLORATION)[liveSet()];
  if (!prior) throw new Error(`too few warm users for a prior (${options.warmUsers})`);
  return prior;
}

function agentsFor(
  options: RunOptions,
  index: number,
  prior: PopulationPrior,
): Record<SuitePolicy, Agent> {
  const picks = (policy: number): (() => number) =>
    stream(options.seed, EVAL_COHORT, index, 10 + policy);
  return {
    oracle,
    random: randomAgent(picks(0)),
    heuristic,
    textbook: new LinUcbAgent('d5', undefined, TEXTBOOK_EXPLORATION, picks(1), {
      startingBelief: false,
    }),
    'oO-new': new LinUcbAgent(liveSet(), undefined, PRODUCTION_EXPLORATION, picks(2)),
    'oO-warm': new LinUcbAgent(liveSet(), prior, PRODUCTION_EXPLORATION, picks(3)),
  };
}

/** Deterministic for a population and options. */
export function runPopulation(population: Population, options: RunOptions): RunResult {
  const prior = warmPrior(population, options);
  const curves = Object.fromEntries(
    [...SUITE_POLICIES, 'baseline'].map((id) => [id, new Float64Array(options.decisions)]),
  ) as SuiteCurves;
  if (population.bound) curves.bound = new Float64Array(options.decisions);
  for (let index = 0; index < options.evalUsers; index += 1) {
    const { life } = drawLife(population, options.seed, EVAL_COHORT, index, options.decisions);
    life.forEach((decision, t) => {
      curves.baseline[t] = curves.baseline[t]! + mean(decision.options.map((o) => o.expected));
    });
    const agents = agentsFor(options, index, prior);
    SUITE_POLICIES.forEach((id) => {
      // Common random numbers: every policy's reactions come from the same draws, so two policies
      // that choose alike get alike rewards and differences are the policies', not the noise's.
      const rewards = live(agents[id], life, stream(options.seed, EVAL_COHORT, index, 20));
      rewards.forEach((reward, t) => {
        curves[id][t] = curves[id][t]! + reward;
      });
    });
    if (population.bound && curves.bound) {
      const bound = curves.bound;
      const rewards = live(
        population.bound.agent(),
        life,
        stream(options.seed, EVAL_COHORT, index, 20),
      );
      rewards.forEach((reward, t) => {
        bound[t] = bound[t]! + reward;
      });
    }
  }
  return { population: population.name, options, prior, curves };
}

/** Share of the oracle's gain over random's expectation in the window: 1 = oracle, 0 = random. */
export function oracleShare(
  result: RunResult,
  policy: SuitePolicy | 'bound',
  window: DecisionWindow,
): number {
  const { curves } = result;
  const curve = policy === 'bound' ? curves.bound : curves[policy];
  if (!curve) throw new Error(`${result.population} has no ${policy} curve`);
  return gainShare(curve, curves.baseline, curves.oracle, window);
}

/** Mean expected reward per decision over the window. */
export function meanReward(
  result: RunResult,
  policy: SuitePolicy | 'bound',
  window: DecisionWindow,
): number {
  const decisions = window.to - window.from + 1;
  const curve = policy === 'bound' ? result.curves.bound : result.curves[policy];
  if (!curve) throw new Error(`${result.population} has no ${policy} curve`);
  return windowSum(curve, window) / (result.options.evalUsers * decisions);
}
