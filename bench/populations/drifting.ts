/**
 * `drifting`: tastes that drift over the weeks a user lives with oO.
 *
 * Tastes: a start taste from the `continuous` distribution and an end taste that differs from
 * it by N(0, 0.6) on each weight (w_priority, w_overdue, w_age of the linear utility
 * `w_p·priority + w_o·is_overdue + w_a·task_age`). At the user's decision t (from 0) the
 * weights are `w(t) = w_start + min(t / 150, 1)·(w_end − w_start)`: at about one decision a
 * day, a steady walk over 150 decisions (~5 months) that moves each weight by ~0.004 per
 * decision, slow next to what a learner sees, large over a life (mean |Δw| ≈ 0.48 per weight).
 *
 * Reactions: done with σ(3u − 1) (+1), dismiss with σ(−3u − 1) (−1), else snooze (0).
 */
import type { BaseFeatures } from '@oo/learning';
import { drawContinuousTaste } from './continuous.js';
import { linearUtility, type Taste } from './segments.js';
import { gaussian, standardReaction, type Population, type SimUser } from './world.js';

export const DRIFT_DECISIONS = 150;
export const DRIFT_SD = 0.6;

export interface DriftingUser extends SimUser {
  /** The weights at decision `index` (from 0). */
  weightsAt(index: number): Taste;
}

export function drawDriftingUser(random: () => number): DriftingUser {
  const start = drawContinuousTaste(random);
  const end: Taste = {
    priority: start.priority + DRIFT_SD * gaussian(random),
    overdue: start.overdue + DRIFT_SD * gaussian(random),
    age: start.age + DRIFT_SD * gaussian(random),
  };
  const weightsAt = (index: number): Taste => {
    const f = Math.min(index / DRIFT_DECISIONS, 1);
    return {
      priority: start.priority + f * (end.priority - start.priority),
      overdue: start.overdue + f * (end.overdue - start.overdue),
      age: start.age + f * (end.age - start.age),
    };
  };
  return {
    group: 'drifting',
    weightsAt,
    utility: (base: BaseFeatures, index: number) => linearUtility(weightsAt(index), base),
    reaction: standardReaction,
  };
}

export const drifting: Population = { name: 'drifting', drawUser: drawDriftingUser };
