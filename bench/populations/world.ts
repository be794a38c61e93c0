/**
 * The simulated world every population lives in: the open tasks a user is shown at each
 * decision, how a hidden utility turns into a reaction, and the seeded streams that make a run
 * reproducible. Shared by `learning-simulation.ts` and the population suite.
 *
 * Each decision shows a user 8 fresh open tasks at a random hour between 07:00 and 23:00 (UTC)
 * of a random day of 2026: priority 1…4 with probability .5/.25/.15/.1; 25 % overdue, 35 % due
 * today or later, 40 % undated; created an exponential time ago (mean 20 days). The features are
 * the production `taskFeatures` and the registry's feature sets.
 */
import type { Agent } from './agents.js';
import {
  policyRegistry,
  quantize,
  seededRandom,
  taskFeatures,
  type BaseFeatures,
  type Candidate,
  type FeatureSet,
  type Policy,
  type TaskFacts,
} from '@oo/learning';

export const TASKS_PER_DECISION = 8;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Decisions happen on some day of 2026, between 07:00 and 23:00 on the user's clock. */
const FIRST_DAY = Date.UTC(2026, 0, 1);
const DAYS = 365;
const WAKING_FROM_HOUR = 7;
const WAKING_HOURS = 16;
const MEAN_TASK_AGE_DAYS = 20;
/** Share of tasks that are overdue, due later, or undated (the rest). */
const OVERDUE_SHARE = 0.25;
const DUE_LATER_SHARE = 0.35;
/** Todoist priorities 1 (normal) … 4 (urgent): most tasks are normal. */
const PRIORITY_WEIGHTS = [0.5, 0.25, 0.15, 0.1] as const;

/** The two feature sets a decision is seen through: the live policy's and the x11 shadow's. */
export type SetName = 'd5' | 'x11';

function registeredPolicy(name: string): Policy {
  const policy = policyRegistry.get(name);
  if (!policy) throw new Error(`${name} is not in the policy registry`);
  return policy;
}

const FEATURE_SETS: Record<SetName, FeatureSet> = {
  d5: registeredPolicy('linucb-d5').featureSet,
  x11: registeredPolicy('linucb-x11').featureSet,
};

const POLICIES: Record<SetName, Policy> = {
  d5: registeredPolicy('linucb-d5'),
  x11: registeredPolicy('linucb-x11'),
};

/** The registered policy that learns from a feature set. */
export function policyOf(set: SetName): Policy {
  return POLICIES[set];
}

export function dimensionOf(set: SetName): number {
  return FEATURE_SETS[set].columns.length;
}

/** Probabilities of the two non-zero reactions; the rest is snooze or no reaction (reward 0). */
export interface Reaction {
  pDone: number;
  pDismiss: number;
}

/** One simulated user: a hidden utility of a task, which may depend on time and experience. */
export interface SimUser {
  /** The user's kind within their population (a segment, a population in the mix, …). */
  group: string;
  /** Hidden utility of a task with these features at the user's `index`-th decision (from 0). */
  utility(base: BaseFeatures, index: number): number;
  /** How a utility turns into done / dismiss. */
  reaction(utility: number): Reaction;
}

/** A generator of users; every draw uses only `random`, so a seed fixes the population. */
export interface Population {
  name: string;
  drawUser(random: () => number): SimUser;
  /**
   * A reference learner told how the population was made, where one is known: roughly how well
   * any learner can do, shown next to the others (a fresh one per user).
   */
  bound?: { label: string; agent: () => Agent };
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Done with σ(3u − 1), dismiss with σ(−3u − 1), else snooze: the original reaction model. */
export function standardReaction(utility: number): Reaction {
  return { pDone: sigmoid(3 * utility - 1), pDismiss: sigmoid(-3 * utility - 1) };
}

export interface Option {
  base: BaseFeatures;
  /** Expected reward E = p_done − p_dismiss, what the gain is measured in. */
  expected: number;
  pDone: number;
  pDismiss: number;
}

export interface Decision {
  options: Option[];
  d5: Candidate[];
  x11: Candidate[];
}

/** A deterministic random stream for (seed, cohort, user, purpose, …). */
export function seededStream(...parts: number[]): () => number {
  return seededRandom(streamSeed(...parts));
}

/** Deterministic seeds for independent streams: the same (seed, parts) always gives the same. */
export function streamSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

export function gaussian(random: () => number): number {
  // Box–Muller; 1 − U keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function pickWeighted<T>(
  items: readonly T[],
  weights: readonly number[],
  random: () => number,
): T {
  let left = random();
  for (let i = 0; i < items.length - 1; i += 1) {
    left -= weights[i]!;
    if (left < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** The user's local hour (0 ≤ h < 24) back from the hour terms of the base features. */
export function hourOf(base: BaseFeatures): number {
  const angle = Math.atan2(base.hour_sin, base.hour_cos);
  return ((((angle * 24) / (2 * Math.PI)) % 24) + 24) % 24;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function drawTask(now: number, random: () => number): TaskFacts {
  const priority = pickWeighted([1, 2, 3, 4], PRIORITY_WEIGHTS, random);
  const dueDraw = random();
  let due: string | null = null;
  if (dueDraw < OVERDUE_SHARE) {
    due = isoDay(now - (1 + Math.floor(random() * 14)) * DAY_MS);
  } else if (dueDraw < OVERDUE_SHARE + DUE_LATER_SHARE) {
    due = isoDay(now + Math.floor(random() * 14) * DAY_MS); // today is not overdue yet
  }
  const ageMs = -MEAN_TASK_AGE_DAYS * DAY_MS * Math.log(1 - random());
  return { priority, due, addedAt: new Date(now - ageMs).toISOString() };
}

/** The user's `index`-th decision: 8 fresh tasks at a random moment, valued by their taste. */
export function drawDecision(user: SimUser, index: number, random: () => number): Decision {
  const day = Math.floor(random() * DAYS);
  const hour = WAKING_FROM_HOUR + random() * WAKING_HOURS;
  const now = FIRST_DAY + day * DAY_MS + Math.round(hour * HOUR_MS);
  const moment = { now: new Date(now), timeZone: 'UTC' };
  const options = Array.from({ length: TASKS_PER_DECISION }, (): Option => {
    const base = taskFeatures(drawTask(now, random), moment);
    const { pDone, pDismiss } = user.reaction(user.utility(base, index));
    return { base, expected: pDone - pDismiss, pDone, pDismiss };
  });
  const candidates = (set: SetName): Candidate[] =>
    options.map((option, k) => ({ id: `t${k}`, features: FEATURE_SETS[set].vector(option.base) }));
  return { options, d5: candidates('d5'), x11: candidates('x11') };
}

/** A reaction drawn from the user's hidden taste: done +1, dismiss −1, anything else 0. */
export function sampleReward(option: Option, random: () => number): number {
  const draw = random();
  if (draw < option.pDone) return quantize(1);
  if (draw < option.pDone + option.pDismiss) return quantize(-1);
  return quantize(0);
}

/** Decisions `from`…`to`, counted from 1, both included. */
export interface DecisionWindow {
  label: string;
  from: number;
  to: number;
}

export function windowSum(curve: Float64Array, window: DecisionWindow): number {
  let sum = 0;
  for (let t = window.from - 1; t < window.to; t += 1) sum += curve[t]!;
  return sum;
}

/** (E[policy] − E[random]) / (E[oracle] − E[random]) over the window: 1 = oracle, 0 = random. */
export function gainShare(
  policy: Float64Array,
  random: Float64Array,
  oracle: Float64Array,
  window: DecisionWindow,
): number {
  const base = windowSum(random, window);
  return (windowSum(policy, window) - base) / (windowSum(oracle, window) - base);
}
