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
import { drawSegmentUser } from './segments.js';
import { sigmoid, type Population, type Reaction } from './world.js';

export const REACTION_RATE = 0.2;
const SLOPE = 1.5;

export function sparseReaction(utility: number): Reaction {
  const done = sigmoid(SLOPE * utility);
  return { pDone: REACTION_RATE * done, pDismiss: REACTION_RATE * (1 - done) };
}

export const sparse: Population = {
  name: 'sparse',
  drawUser: (random) => ({ ...drawSegmentUser(random), reaction: sparseReaction }),
};
