/**
 * `continuous`: tastes from one continuous distribution, no clusters.
 *
 * Tastes: the weights (w_priority, w_overdue, w_age) of the linear utility
 * `u = w_p·priority + w_o·is_overdue + w_a·task_age` are one draw of a multivariate Gaussian
 * with means (0.5, 0.4, 0), standard deviations (0.5, 0.5, 0.5) and correlations
 * priority–overdue +0.4, priority–age −0.3, overdue–age 0 (people who chase urgency also chase
 * deadlines and leave old tasks). About a sixth of users dislike urgent tasks (w_p < 0); the
 * utility is the same at every hour and every decision.
 *
 * Reactions: done with σ(3u − 1) (+1), dismiss with σ(−3u − 1) (−1), else snooze (0).
 */
import { linearUser, type Taste } from './segments.js';
import { gaussian, type Population } from './world.js';

export const CONTINUOUS_MEAN: Taste = { priority: 0.5, overdue: 0.4, age: 0 };
export const CONTINUOUS_SD = 0.5;
/** Correlations priority–overdue, priority–age, overdue–age. */
export const CONTINUOUS_CORRELATION = { priorityOverdue: 0.4, priorityAge: -0.3, overdueAge: 0 };

// Cholesky factor L of the correlation matrix, so that L·z has it for independent z.
const { priorityOverdue: r12, priorityAge: r13, overdueAge: r23 } = CONTINUOUS_CORRELATION;
const L21 = r12;
const L22 = Math.sqrt(1 - r12 * r12);
const L31 = r13;
const L32 = (r23 - r13 * r12) / L22;
const L33 = Math.sqrt(1 - L31 * L31 - L32 * L32);

/** One draw of the taste distribution. */
export function drawContinuousTaste(random: () => number): Taste {
  const [z1, z2, z3] = [gaussian(random), gaussian(random), gaussian(random)];
  return {
    priority: CONTINUOUS_MEAN.priority + CONTINUOUS_SD * z1,
    overdue: CONTINUOUS_MEAN.overdue + CONTINUOUS_SD * (L21 * z1 + L22 * z2),
    age: CONTINUOUS_MEAN.age + CONTINUOUS_SD * (L31 * z1 + L32 * z2 + L33 * z3),
  };
}

export const continuous: Population = {
  name: 'continuous',
  drawUser: (random) => linearUser('continuous', drawContinuousTaste(random)),
};
