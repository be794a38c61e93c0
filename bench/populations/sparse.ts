/**
 * `sparse`: few and noisy reactions.
 *
 * Tastes: as in `segments` (four segments, each weight jittered N(0, 0.15)).
 *
 * Reactions: 80 % of tips get no reaction at all and expire at reward 0. A user who does react
 * completes the task with σ(1.5u) (+1) and otherwise dismisses it (−1): half the slope of the
 * standard model, so a reaction says less about the taste, and no snooze. So
 * p_done = 0.2·σ(1.5u), p_dismiss = 0.2·(1 − σ(1.5u)), and a reward is 0 exactly when there
 * was no reaction.
 */
import type { Agent } from './agents.js';
import { drawSegmentUser, linearUtility, SEGMENTS } from './segments.js';
import { sigmoid, type Decision, type Population, type Reaction } from './world.js';

export const REACTION_RATE = 0.2;
const SLOPE = 1.5;

export function sparseReaction(utility: number): Reaction {
  const done = sigmoid(SLOPE * utility);
  return { pDone: REACTION_RATE * done, pDismiss: REACTION_RATE * (1 - done) };
}

/**
 * A reference for `sparse`: a Bayes learner that is told how the population was made — the
 * four segments, their shares and weights, and the exact reaction model — and only has to find
 * out which segment a user is in. After every reaction it updates the segments' posterior by
 * the exact likelihood of that reaction, and shows the task with the highest
 * posterior-expected reward. Not a strict bound: it never explores on purpose and ignores each
 * user's ±0.15 jitter around their segment; but it knows far more than any learner that must
 * find the weights from reactions, so what it misses is mostly what a user's few, noisy
 * reactions cannot tell apart.
 */
export function segmentBayesAgent(): Agent {
  const logPosterior = SEGMENTS.map((segment) => Math.log(segment.share));
  const expected = (decision: Decision, k: number, s: number): number => {
    const { pDone, pDismiss } = sparseReaction(
      linearUtility(SEGMENTS[s]!.taste, decision.options[k]!.base),
    );
    return pDone - pDismiss;
  };
  return {
    choose(decision) {
      const top = Math.max(...logPosterior);
      const weights = logPosterior.map((value) => Math.exp(value - top));
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      decision.options.forEach((_, k) => {
        const value = weights.reduce((sum, w, s) => sum + w * expected(decision, k, s), 0);
        if (value > bestValue) {
          bestValue = value;
          best = k;
        }
      });
      return best;
    },
    learn(decision, chosen, reward) {
      SEGMENTS.forEach((segment, s) => {
        const { pDone, pDismiss } = sparseReaction(
          linearUtility(segment.taste, decision.options[chosen]!.base),
        );
        const likelihood = reward > 0 ? pDone : reward < 0 ? pDismiss : 1 - pDone - pDismiss;
        logPosterior[s] = logPosterior[s]! + Math.log(likelihood);
      });
    },
  };
}

export const sparse: Population = {
  name: 'sparse',
  drawUser: (random) => ({ ...drawSegmentUser(random), reaction: sparseReaction }),
  bound: { label: 'Bayes reference, told the segments', agent: segmentBayesAgent },
};
