/**
 * How much of the best possible choice the live policy delivers to a simulated population, and
 * how fast (issue's "Must show"): the share of the oracle's gain over random that a policy
 * captures in decisions 1–25, 126–150 and 1–150 per user, next to random and a
 * "priority, then overdue" heuristic.
 *
 * Targets: live ≥ 70 % within the first 25 decisions, ≥ 90 % after 150 (the 126–150 window),
 * and never more than 5 % behind the heuristic for users whose taste is the heuristic's, in
 * every window — read as a mean expected reward at least 95 % of the heuristic's, and checked
 * too in the stricter reading of 5 points of share of the oracle's gain.
 *
 * The population (weights are per-user means; every user adds N(0, 0.15) jitter to each):
 *
 *   segment           share   w_priority  w_overdue  w_age
 *   urgent-first       35 %      1.0         0.3        0     the heuristic's own taste
 *   deadline-driven    25 %      0.4         1.0        0
 *   backlog-clearer    20 %      0.3         0.2        0.8
 *   fresh-starter      20 %      0.5         0         −0.6
 *
 * A user's hidden utility of a task is `u = w_p·priority + w_o·is_overdue + w_a·task_age` on the
 * base features of `taskFeatures` (priority (p − 1)/3, task_age min(days, 90)/90). Shown a
 * task, they complete it with p = σ(3u − 1) (reward +1), dismiss it with p = σ(−3u − 1)
 * (reward −1), else snooze it (reward 0). Learners learn from the sampled reaction; the gain is
 * measured with the expected reward E = p_done − p_dismiss of the chosen task, which is
 * monotone in u and has far less variance than the sample.
 *
 * Each decision shows a user 8 fresh open tasks at a random hour between 07:00 and 23:00 (UTC):
 * priority 1…4 with probability .5/.25/.15/.1; 25 % overdue, 35 % due today or later, 40 %
 * undated; created an exponential time ago (mean 20 days). Every policy sees the same tasks
 * (common random numbers) and acts in its own copy of the user's world: the LinUCB policies run
 * the scorer's production math (solvePosterior, scoreCandidates, chooseCandidate,
 * ModelState.apply) in process, with the scorer's exploration rule (`explorationFor`: α 1, ε 0
 * without a population prior, from the starting belief; α ½, ε 0.01 with one).
 *
 * The population prior is learned from data only: a warm cohort of other users lives through
 * the same number of decisions under linucb-d5 without a prior, each user also teaching an x11
 * model from the same reactions (the shadow's view of the shown task); `estimatePopulationPrior`
 * then runs on their final models, and a separate cohort of new users is evaluated.
 *
 * The world, the policies and this population live in `populations/` (world.ts, agents.ts,
 * segments.ts), shared with the population suite (`populations/learning-suite.ts`).
 */
import { performance } from 'node:perf_hooks';
import {
  estimatePopulationPrior,
  seededRandom,
  type ExplorationSettings,
  type ModelState,
  type PopulationPrior,
  type PriorOptions,
} from '@oo/learning';
import { progress, type BenchReport, type Cell, type Table } from './harness.js';
import {
  heuristic,
  LinUcbAgent,
  live,
  mean,
  oracle,
  PRODUCTION_EXPLORATION,
  randomAgent,
  type Agent,
} from './populations/agents.js';
import {
  drawSegmentUser,
  SEGMENT_NAMES,
  type SegmentName,
  type SegmentUser,
} from './populations/segments.js';
import {
  drawDecision,
  gainShare,
  streamSeed,
  TASKS_PER_DECISION,
  windowSum,
  type Decision,
  type DecisionWindow,
} from './populations/world.js';

export { PRODUCTION_EXPLORATION, SEGMENT_NAMES, type SegmentName };
export type { DecisionWindow };

/** Fixed so that the printed priors carry the same timestamp run after run. */
const PRIOR_COMPUTED_AT = new Date('2026-01-01T00:00:00.000Z');

/** The policies compared on every evaluated user. */
export const POLICY_IDS = [
  'oracle',
  'random',
  'heuristic',
  'live-prior',
  'live-cold',
  'x11-prior',
] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

const POLICY_LABELS: Record<PolicyId, string> = {
  oracle: 'oracle (best expected reward)',
  random: 'random (uniform)',
  heuristic: 'heuristic (priority, then overdue)',
  'live-prior': 'linucb-d5 + population prior (live)',
  'live-cold': 'linucb-d5, no prior (textbook cold start)',
  'x11-prior': 'linucb-x11 + population prior (shadow)',
};

export interface SimulationOptions {
  /** Users whose models the population prior is estimated from. */
  warmUsers: number;
  /** New users the policies are compared on. */
  evalUsers: number;
  /** Decisions per user, in both cohorts. */
  decisions: number;
  seed: number;
  /** Passed to `estimatePopulationPrior` over the library defaults. */
  priorOptions?: Partial<PriorOptions>;
  /** For what-if runs only; the production defaults otherwise. */
  exploration?: ExplorationSettings;
  /** Called now and then with a line of progress. */
  onProgress?: (line: string) => void;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  warmUsers: 400,
  evalUsers: 1000,
  decisions: 150,
  seed: 20_261_122,
};

/** Per decision index, the sum over users of the chosen task's expected reward. */
export type RewardCurves = Record<PolicyId, Float64Array>;

export interface SimulationResult {
  options: SimulationOptions;
  priors: { d5: PopulationPrior; x11: PopulationPrior };
  /** Evaluated users per segment. */
  users: Record<SegmentName, number>;
  /** Reward curves of all evaluated users, and of each segment's users. */
  curves: Record<SegmentName | 'all', RewardCurves>;
  elapsedMs: { warm: number; eval: number };
}

// --- The simulation -----------------------------------------------------------------------------

const WARM_COHORT = 1;
const EVAL_COHORT = 2;

function emptyCurves(decisions: number): RewardCurves {
  return Object.fromEntries(
    POLICY_IDS.map((id) => [id, new Float64Array(decisions)]),
  ) as RewardCurves;
}

/** Generates one user and their decisions from the cohort's seed stream. */
function drawLife(
  seed: number,
  cohort: number,
  index: number,
  decisions: number,
): { user: SegmentUser; life: Decision[] } {
  const random = seededRandom(streamSeed(seed, cohort, index, 0));
  const user = drawSegmentUser(random);
  const life = Array.from({ length: decisions }, (_, t) => drawDecision(user, t, random));
  return { user, life };
}

function warmCohortPriors(options: SimulationOptions): {
  d5: PopulationPrior;
  x11: PopulationPrior;
} {
  const d5States: ModelState[] = [];
  const x11States: ModelState[] = [];
  for (let index = 0; index < options.warmUsers; index += 1) {
    const { life } = drawLife(options.seed, WARM_COHORT, index, options.decisions);
    const agent = new LinUcbAgent(
      'd5',
      undefined,
      explorationOf(options),
      seededRandom(streamSeed(options.seed, WARM_COHORT, index, 1)),
      { teachesX11: true },
    );
    live(agent, life, seededRandom(streamSeed(options.seed, WARM_COHORT, index, 2)));
    d5States.push(agent.state);
    x11States.push(agent.x11State!);
    if ((index + 1) % 100 === 0) options.onProgress?.(`warm cohort: ${index + 1} users`);
  }
  const estimate = (states: ModelState[], name: string): PopulationPrior => {
    const prior = estimatePopulationPrior(states, options.priorOptions, PRIOR_COMPUTED_AT);
    if (!prior) throw new Error(`too few warm users for a ${name} prior`);
    return prior;
  };
  return { d5: estimate(d5States, 'd5'), x11: estimate(x11States, 'x11') };
}

function evaluationAgents(
  options: SimulationOptions,
  index: number,
  priors: { d5: PopulationPrior; x11: PopulationPrior },
): Record<PolicyId, Agent> {
  const stream = (policy: number): (() => number) =>
    seededRandom(streamSeed(options.seed, EVAL_COHORT, index, 10 + policy));
  const exploration = explorationOf(options);
  return {
    oracle,
    random: randomAgent(stream(0)),
    heuristic,
    'live-prior': new LinUcbAgent('d5', priors.d5, exploration, stream(1)),
    'live-cold': new LinUcbAgent('d5', undefined, exploration, stream(2)),
    'x11-prior': new LinUcbAgent('x11', priors.x11, exploration, stream(3)),
  };
}

function explorationOf(options: SimulationOptions): ExplorationSettings {
  return options.exploration ?? PRODUCTION_EXPLORATION;
}

/**
 * Runs the warm cohort, estimates the priors from its models, then lets every policy serve each
 * new user. Deterministic for given options.
 */
export function simulateLearning(options: SimulationOptions): SimulationResult {
  const warmStart = performance.now();
  const priors = warmCohortPriors(options);
  const evalStart = performance.now();

  const curves = {
    all: emptyCurves(options.decisions),
    ...Object.fromEntries(SEGMENT_NAMES.map((name) => [name, emptyCurves(options.decisions)])),
  } as Record<SegmentName | 'all', RewardCurves>;
  const users = Object.fromEntries(SEGMENT_NAMES.map((name) => [name, 0])) as Record<
    SegmentName,
    number
  >;

  for (let index = 0; index < options.evalUsers; index += 1) {
    const { user, life } = drawLife(options.seed, EVAL_COHORT, index, options.decisions);
    users[user.group] += 1;
    const agents = evaluationAgents(options, index, priors);
    POLICY_IDS.forEach((id, p) => {
      const reactions = seededRandom(streamSeed(options.seed, EVAL_COHORT, index, 20 + p));
      const rewards = live(agents[id], life, reactions);
      if (id === 'random') {
        // Random's expected reward is the mean over the shown tasks: exact, without pick noise.
        life.forEach((decision, t) => {
          rewards[t] = mean(decision.options.map((option) => option.expected));
        });
      }
      for (const target of [curves.all[id], curves[user.group][id]]) {
        rewards.forEach((reward, t) => {
          target[t] = target[t]! + reward;
        });
      }
    });
    if ((index + 1) % 100 === 0) options.onProgress?.(`new users: ${index + 1}`);
  }

  const end = performance.now();
  return {
    options,
    priors,
    users,
    curves,
    elapsedMs: { warm: evalStart - warmStart, eval: end - evalStart },
  };
}

/** (E[policy] − E[random]) / (E[oracle] − E[random]) over the window: 1 = oracle, 0 = random. */
export function shareOfOracleGain(
  curves: RewardCurves,
  policy: PolicyId,
  window: DecisionWindow,
): number {
  return gainShare(curves[policy], curves.random, curves.oracle, window);
}

/** Mean expected reward per decision over the window, for `users` users. */
export function meanExpectedReward(
  curves: RewardCurves,
  policy: PolicyId,
  window: DecisionWindow,
  users: number,
): number {
  return windowSum(curves[policy], window) / (users * (window.to - window.from + 1));
}

/** First 25 (cumulative), last 25 (the rate after learning), and all decisions. */
export function reportWindows(decisions: number): DecisionWindow[] {
  const early = Math.min(25, decisions);
  const lateFrom = Math.max(1, decisions - 24);
  return [
    { label: `1–${early}`, from: 1, to: early },
    { label: `${lateFrom}–${decisions}`, from: lateFrom, to: decisions },
    { label: `1–${decisions}`, from: 1, to: decisions },
  ];
}

// --- The report ---------------------------------------------------------------------------------

const TARGET_EARLY = 0.7;
const TARGET_LATE = 0.9;
/** Live may trail the heuristic by at most this share of the oracle's gain, on its own users. */
const TARGET_HEURISTIC_GAP = 0.05;

const percent = (value: number): string => `${(100 * value).toFixed(1)} %`;
const mark = (met: boolean): string => (met ? '✓' : '✗');

function shareTable(
  title: string,
  curves: RewardCurves,
  users: number,
  policies: readonly PolicyId[],
  windows: readonly DecisionWindow[],
): Table {
  const all = windows[windows.length - 1]!;
  return {
    title,
    columns: [
      'policy',
      ...windows.map((w) => `share of oracle gain, ${w.label}`),
      `mean E[reward], ${all.label}`,
    ],
    rows: policies.map((policy): Cell[] => [
      POLICY_LABELS[policy],
      ...windows.map((w) => percent(shareOfOracleGain(curves, policy, w))),
      meanExpectedReward(curves, policy, all, users).toFixed(3),
    ]),
  };
}

function segmentTable(result: SimulationResult, windows: readonly DecisionWindow[]): Table {
  return {
    title:
      'linucb-d5 + prior (live) by taste segment: share of oracle gain (heuristic in brackets)',
    columns: ['segment', 'users', ...windows.map((w) => w.label)],
    rows: SEGMENT_NAMES.map((segment): Cell[] => [
      segment,
      result.users[segment],
      ...windows.map(
        (w) =>
          `${percent(shareOfOracleGain(result.curves[segment], 'live-prior', w))} (${percent(
            shareOfOracleGain(result.curves[segment], 'heuristic', w),
          )})`,
      ),
    ]),
  };
}

const points = (value: number): string => `${(100 * value).toFixed(1)} pts`;

function heuristicGapNotes(result: SimulationResult, windows: readonly DecisionWindow[]): string[] {
  const urgent = result.curves['urgent-first'];
  const users = result.users['urgent-first'];
  const gaps = windows.map(
    (w) => shareOfOracleGain(urgent, 'heuristic', w) - shareOfOracleGain(urgent, 'live-prior', w),
  );
  const relative = windows.map((w) => {
    const heuristicReward = meanExpectedReward(urgent, 'heuristic', w, users);
    return (heuristicReward - meanExpectedReward(urgent, 'live-prior', w, users)) / heuristicReward;
  });
  const rewardMet = Math.max(...relative) <= TARGET_HEURISTIC_GAP;
  const pointsMet = Math.max(...gaps) <= TARGET_HEURISTIC_GAP;
  const byReward = windows
    .map(
      (w, i) =>
        `${w.label}: ${percent(Math.abs(relative[i]!))} ${relative[i]! > 0 ? 'lower' : 'higher'}`,
    )
    .join('; ');
  const byPoints = windows
    .map(
      (w, i) => `${w.label}: ${gaps[i]! > 0 ? 'behind' : 'ahead'} by ${points(Math.abs(gaps[i]!))}`,
    )
    .join('; ');
  // "5 % behind" is read as mean reward at least 95 % of the heuristic's; the stricter reading
  // (5 points of share of the oracle's gain) is checked too and printed as its own verdict.
  return [
    `- ${mark(rewardMet)} on urgent-first users live's mean E[reward] is never more than ${percent(TARGET_HEURISTIC_GAP)} below the heuristic's. ${byReward}`,
    `- ${mark(pointsMet)} (stricter reading) never more than ${points(TARGET_HEURISTIC_GAP)} of the oracle's gain behind it. ${byPoints}. (With the old ε = 0.05, ε alone cost about 4.4 points.)`,
  ];
}

function targetNotes(result: SimulationResult, windows: readonly DecisionWindow[]): string[] {
  const [early, late] = [windows[0]!, windows[1]!];
  const liveEarly = shareOfOracleGain(result.curves.all, 'live-prior', early);
  const liveLate = shareOfOracleGain(result.curves.all, 'live-prior', late);
  const coldEarly = shareOfOracleGain(result.curves.all, 'live-cold', early);
  return [
    `- ${mark(liveEarly >= TARGET_EARLY)} live captures ≥ ${percent(TARGET_EARLY)} of the oracle's gain in decisions ${early.label}: ${percent(liveEarly)} (textbook cold start: ${percent(coldEarly)}; the issue expects 40–75 % from it)`,
    `- ${mark(liveLate >= TARGET_LATE)} live captures ≥ ${percent(TARGET_LATE)} after ${result.options.decisions} decisions (window ${late.label}): ${percent(liveLate)}`,
    ...heuristicGapNotes(result, windows),
  ];
}

function priorNote(name: string, prior: PopulationPrior): string {
  const groups = prior.components.map((component) => {
    const theta = component.theta0.map((value) => value.toFixed(2)).join(', ');
    const strengths = component.precision.map((row, i) => row[i]!.toFixed(1)).join(', ');
    return `${component.users} users θ₀ [${theta}] diag Λ [${strengths}]`;
  });
  return `- ${name} prior from ${prior.users} users, σ² ${prior.noiseVariance.toFixed(3)}, ${prior.components.length} groups: ${groups.join('; ')}`;
}

/** The table: the simulation at full size, with its targets checked. */
export function learningReport(result: SimulationResult): BenchReport {
  const { options } = result;
  const windows = reportWindows(options.decisions);
  const urgentUsers = result.users['urgent-first'];
  const { alpha, epsilon, alphaWithPrior, epsilonWithPrior } = explorationOf(options);
  return {
    tables: [
      shareTable(
        `All ${options.evalUsers} new users`,
        result.curves.all,
        options.evalUsers,
        POLICY_IDS,
        windows,
      ),
      shareTable(
        `urgent-first users (the heuristic's taste), ${urgentUsers} of them`,
        result.curves['urgent-first'],
        urgentUsers,
        ['heuristic', 'live-prior', 'live-cold', 'x11-prior'],
        windows,
      ),
      segmentTable(result, windows),
    ],
    notes: [
      `Setup: ${options.warmUsers} warm users teach the population prior, ${options.evalUsers} new users are evaluated, ${options.decisions} decisions each, ${TASKS_PER_DECISION} tasks per decision, seed ${options.seed}, α ${alpha} / ε ${epsilon} without a population prior and α ${alphaWithPrior} / ε ${epsilonWithPrior} with one, prior options ${JSON.stringify(options.priorOptions ?? {})} over the library defaults.`,
      `Share of oracle gain = (mean E[policy] − mean E[random]) / (mean E[oracle] − mean E[random]) over the window, E = p_done − p_dismiss of the chosen task; random's E is the mean over the shown tasks. ε alone caps a learner at about ${percent(1 - epsilon)}.`,
      priorNote('d5', result.priors.d5),
      priorNote('x11', result.priors.x11),
      `Time: warm cohort ${(result.elapsedMs.warm / 1000).toFixed(1)} s, evaluation ${(result.elapsedMs.eval / 1000).toFixed(1)} s.`,
      'Targets:',
      ...targetNotes(result, windows),
    ],
  };
}

/** The benchmark: the full-size simulation. */
export async function learningSimulation(): Promise<BenchReport> {
  return learningReport(simulateLearning({ ...DEFAULT_SIMULATION, onProgress: progress }));
}
