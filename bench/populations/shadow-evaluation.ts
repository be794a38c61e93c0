/**
 * Shadow → live by evidence (issue 13): linucb-d5 live with the exploration the scorer used
 * before this issue (α 1, ε 0.05; today's population prior and starting belief) logs its decisions on simulated users while candidate policies
 * score every decision in the shadows, learning from the same reactions (each model from its
 * own features of the shown task, as the scorer teaches shadows). Each candidate is then judged
 * only from the log, as `rpc.recommender.evaluate` judges it: IPS and SNIPS with 95 % intervals,
 * its target probability the scorer's ε-greedy over its own UCBs with the logged ε, and the
 * paired SNIPS improvement over the live policy. A candidate is promoted only where the lower end
 * of that improvement is above 0.
 *
 * The simulation also knows what the log cannot: each decision's expected reward under every
 * policy's choice. Its "truth" column (the target's ε-greedy mean of those expectations on the
 * logged decisions) is what the estimates should cover.
 */
import { performance } from 'node:perf_hooks';
import {
  chooseCandidate,
  egreedyProbability,
  estimateImprovement,
  estimateOffPolicy,
  explorationFor,
  ModelState,
  policyRegistry,
  scoreCandidates,
  solvePosterior,
  type ExplorationSettings,
  type Interval,
  type OffPolicyEstimate,
  type PairedOutcome,
  type PopulationPrior,
} from '@oo/learning';
import { positiveInt, progress, type BenchReport, type Cell } from '../harness.js';
import { POPULATIONS } from './mix.js';
import { drawLife, warmCohortPriors } from './runner.js';
import {
  dimensionOf,
  policyOf,
  sampleReward,
  seededStream,
  type Decision,
  type Population,
  type SetName,
} from './world.js';

/** A policy as shadows run it: a model (feature set) and how it would explore if live. */
export interface CandidatePolicy {
  label: string;
  set: SetName;
  settings: ExplorationSettings;
}

/** The deployment that logged: linucb-d5 live, α 1 and ε 0.05 everywhere (the scorer's old exploration). */
export const LOGGING_POLICY: CandidatePolicy = {
  label: 'linucb-d5, α 1 (live)',
  set: 'd5',
  settings: { alpha: 1, epsilon: 0.05, alphaWithPrior: 1, epsilonWithPrior: 0.05 },
};

/** Judged against the live policy, each with ε 0.05 as the log's. */
export const CANDIDATES: readonly CandidatePolicy[] = [
  LOGGING_POLICY,
  {
    label: 'linucb-d5, α ½ with a prior',
    set: 'd5',
    settings: { alpha: 1, epsilon: 0.05, alphaWithPrior: 0.5, epsilonWithPrior: 0.05 },
  },
  {
    label: 'linucb-x11, α 1',
    set: 'x11',
    settings: { alpha: 1, epsilon: 0.05, alphaWithPrior: 1, epsilonWithPrior: 0.05 },
  },
  {
    label: 'linucb-x11, α ½ with a prior',
    set: 'x11',
    settings: { alpha: 1, epsilon: 0.05, alphaWithPrior: 0.5, epsilonWithPrior: 0.05 },
  },
];

export interface ShadowOptions {
  warmUsers: number;
  loggedUsers: number;
  decisions: number;
  /** One deployment per seed (its own warm cohort and users); their logs are pooled. */
  seeds: readonly number[];
}

export interface CandidateVerdict {
  label: string;
  estimate: OffPolicyEstimate;
  /** Paired SNIPS of V(candidate) − V(live). */
  improvement: Interval;
  /** Mean expected reward of the candidate's ε-greedy choice on the logged decisions. */
  truth: number;
  promote: boolean;
}

export interface ShadowRun {
  population: string;
  decisions: number;
  verdicts: CandidateVerdict[];
}

const stream = seededStream;

/** Runs the logged deployment on one population and judges every candidate from its log. */
export function evaluateShadows(population: Population, options: ShadowOptions): ShadowRun {
  const probabilities: number[][] = CANDIDATES.map(() => []);
  const truths = CANDIDATES.map(() => 0);
  const logged: { propensity: number; reward: number }[] = [];
  for (const seed of options.seeds) {
    const cohort = { seed, users: options.warmUsers, decisions: options.decisions };
    const priors = warmCohortPriors(population, cohort, LOGGING_POLICY.settings);
    for (let index = 0; index < options.loggedUsers; index += 1) {
      logUser(population, options, seed, index, priors, { probabilities, truths, logged });
    }
  }
  const live = probabilities[0]!;
  const verdicts = CANDIDATES.map((candidate, c): CandidateVerdict => {
    const estimate = estimateOffPolicy(
      logged.map(({ propensity, reward }, i) => ({
        loggingPropensity: propensity,
        targetProbability: probabilities[c]![i]!,
        reward,
      })),
    );
    const paired: PairedOutcome[] = logged.map(({ propensity, reward }, i) => ({
      loggingPropensity: propensity,
      candidateProbability: probabilities[c]![i]!,
      incumbentProbability: live[i]!,
      reward,
    }));
    const improvement = estimateImprovement(paired);
    return {
      label: candidate.label,
      estimate,
      improvement,
      truth: truths[c]! / logged.length,
      promote: c > 0 && improvement.low !== null && improvement.low > 0,
    };
  });
  return { population: population.name, decisions: logged.length, verdicts };
}

interface ShadowLog {
  probabilities: number[][];
  truths: number[];
  logged: { propensity: number; reward: number }[];
}

/** One user's life under the logging policy, every candidate scoring each decision. */
function logUser(
  population: Population,
  options: ShadowOptions,
  seed: number,
  index: number,
  priors: Record<SetName, PopulationPrior | undefined>,
  { probabilities, truths, logged }: ShadowLog,
): void {
  const { life } = drawLife(population, seed, 2, index, options.decisions);
  const models: Record<SetName, ModelState> = {
    d5: ModelState.empty(dimensionOf('d5')),
    x11: ModelState.empty(dimensionOf('x11')),
  };
  const picks = stream(seed, 2, index, 10);
  const reactions = stream(seed, 2, index, 20);
  for (const decision of life) {
    const ucbs = CANDIDATES.map((candidate) => candidateUcbs(candidate, models, priors, decision));
    const loggingRule = explorationFor(LOGGING_POLICY.settings, priors.d5);
    const logScores = scoreCandidates(
      solvePosterior(models.d5, policyRegistry.startingPrior(policyOf('d5'), priors.d5)),
      decision.d5,
      loggingRule.alpha,
    );
    const choice = chooseCandidate(logScores, loggingRule.epsilon, picks);
    const reward = sampleReward(decision.options[choice.index]!, reactions);
    logged.push({ propensity: choice.propensity, reward });
    CANDIDATES.forEach((candidate, c) => {
      const epsilon = explorationFor(candidate.settings, priors[candidate.set]).epsilon;
      probabilities[c]!.push(egreedyProbability(ucbs[c]!, epsilon, choice.index));
      decision.options.forEach((option, k) => {
        truths[c]! += egreedyProbability(ucbs[c]!, epsilon, k) * option.expected;
      });
    });
    models.d5.apply(reward, decision.d5[choice.index]!.features);
    models.x11.apply(reward, decision.x11[choice.index]!.features);
  }
}

function candidateUcbs(
  candidate: CandidatePolicy,
  models: Record<SetName, ModelState>,
  priors: Record<SetName, PopulationPrior | undefined>,
  decision: Decision,
): { id: string; ucb: number }[] {
  const prior = priors[candidate.set];
  const { alpha } = explorationFor(candidate.settings, prior);
  const posterior = solvePosterior(
    models[candidate.set],
    policyRegistry.startingPrior(policyOf(candidate.set), prior),
  );
  return scoreCandidates(posterior, decision[candidate.set], alpha).map(({ id, ucb }) => ({
    id,
    ucb,
  }));
}

/** Sized like the suite: 3 seeds × 600 logged users × 150 decisions per population. */
export const DEFAULT_SHADOW_OPTIONS: ShadowOptions = {
  warmUsers: positiveInt(process.env['BENCH_SUITE_WARM_USERS'], 300),
  loggedUsers: positiveInt(process.env['BENCH_SUITE_EVAL_USERS'], 600),
  decisions: 150,
  seeds: [11, 12, 13],
};

const f4 = (value: number | null): string => (value === null ? '—' : value.toFixed(4));
const interval = ({ estimate, low, high }: Interval): string =>
  `${f4(estimate)} [${f4(low)}, ${f4(high)}]`;
const signed = ({ estimate, low, high }: Interval): string => {
  const s = (value: number | null): string =>
    value === null ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
  return `${s(estimate)} [${s(low)}, ${s(high)}]`;
};

/**
 * The promotion rule: a candidate goes live only if its improvement's lower end is above 0 on
 * the mixed population (everyone) and its upper end is not below 0 on any population (nobody
 * is confidently worse off): chosen by the worst case, like everything else in this issue.
 */
export function promotions(runs: readonly ShadowRun[]): Map<string, boolean> {
  const decisions = new Map<string, boolean>();
  for (const candidate of CANDIDATES.slice(1)) {
    const verdicts = runs.map((run) => ({
      population: run.population,
      verdict: run.verdicts.find((v) => v.label === candidate.label)!,
    }));
    const mix = verdicts.find((v) => v.population === 'mix')?.verdict;
    const harmsNone = verdicts.every(({ verdict }) => (verdict.improvement.high ?? 0) >= 0);
    decisions.set(candidate.label, Boolean(mix?.promote) && harmsNone);
  }
  return decisions;
}

/** The benchmark: `npm run bench -- learning-shadows`. */
export async function learningShadows(): Promise<BenchReport> {
  const start = performance.now();
  const runs = POPULATIONS.map((population) => {
    const run = evaluateShadows(population, DEFAULT_SHADOW_OPTIONS);
    progress(`${population.name}: ${run.decisions} logged decisions judged`);
    return run;
  });
  const rows: Cell[][] = runs.flatMap((run) =>
    run.verdicts.map((verdict) => [
      run.population,
      verdict.label,
      Math.round(verdict.estimate.effectiveSampleSize),
      interval(verdict.estimate.ips),
      interval(verdict.estimate.snips),
      verdict.truth.toFixed(4),
      signed(verdict.improvement),
      verdict.label === LOGGING_POLICY.label ? 'live' : verdict.promote ? 'better' : '—',
    ]),
  );
  const decided = promotions(runs);
  const options = DEFAULT_SHADOW_OPTIONS;
  return {
    tables: [
      {
        title: `Shadow evaluation from the live policy's log (${options.seeds.length} seeds × ${options.loggedUsers} users × ${options.decisions} decisions per population, pooled); 95 % intervals`,
        columns: [
          'population',
          'policy',
          'ESS',
          'IPS',
          'SNIPS',
          'truth',
          'Δ vs live (SNIPS, paired)',
          'verdict',
        ],
        rows,
      },
    ],
    notes: [
      `Logging: ${LOGGING_POLICY.label} with ε 0.05 and the population prior of a ${options.warmUsers}-user warm cohort per seed; every candidate learns from the same reactions and is judged as the scorer's ε-greedy (ε 0.05) over its own UCBs. "truth" is the candidate's ε-greedy mean of the expected rewards on the logged decisions, which only the simulation knows. Time ${((performance.now() - start) / 1000).toFixed(0)} s.`,
      'Promotion (Δ lower end > 0 on mix, Δ upper end ≥ 0 on every population):',
      ...[...decided].map(
        ([label, promote]) => `- ${label}: ${promote ? 'promote' : 'stay shadow'}`,
      ),
    ],
  };
}
