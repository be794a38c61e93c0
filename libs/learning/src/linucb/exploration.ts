import type { CandidateScore } from './ridge.js';

export interface Choice {
  index: number;
  /** Probability that this policy picks this candidate, given the scores: logged for IPS. */
  propensity: number;
  explored: boolean;
}

/** The UCB argmax; equal scores go to the smallest id, so the order of candidates never matters. */
export function greedyIndex(scores: readonly Pick<CandidateScore, 'id' | 'ucb'>[]): number {
  let best = 0;
  for (let k = 1; k < scores.length; k += 1) {
    const score = scores[k]!;
    const leader = scores[best]!;
    if (score.ucb > leader.ucb || (score.ucb === leader.ucb && score.id < leader.id)) best = k;
  }
  return best;
}

/**
 * The probability ε-greedy over these scores gives candidate `k`: `(1 − ε)·[k is the argmax] +
 * ε / K`. The one formula for a decision's propensity and for any policy's target probability
 * in off-policy evaluation, so on-policy weights are exactly 1.
 */
export function egreedyProbability(
  scores: readonly Pick<CandidateScore, 'id' | 'ucb'>[],
  epsilon: number,
  k: number,
): number {
  return probabilityOf(k, greedyIndex(scores), epsilon, scores.length);
}

function probabilityOf(k: number, greedy: number, epsilon: number, count: number): number {
  return (k === greedy ? 1 - epsilon : 0) + epsilon / count;
}

/**
 * ε-greedy over UCB: with probability ε a uniform pick, else the argmax. The propensity of the
 * pick is `egreedyProbability`.
 */
export function chooseCandidate(
  scores: readonly CandidateScore[],
  epsilon: number,
  random: () => number,
): Choice {
  if (scores.length === 0) throw new RangeError('no candidates to choose from');
  const greedy = greedyIndex(scores);
  const explored = random() < epsilon;
  const index = explored
    ? Math.min(scores.length - 1, Math.floor(random() * scores.length))
    : greedy;
  const propensity = probabilityOf(index, greedy, epsilon, scores.length);
  return { index, propensity, explored };
}

/**
 * A small, fast seeded generator (mulberry32): the same seed replays the same decision. Not for
 * secrets.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
