/**
 * `heuristic`: users whose taste is exactly the "priority, then overdue" heuristic.
 *
 * Tastes: `u = s·(priority + 0.25·is_overdue)` with a per-user scale s ~ U(0.7, 1.3) and no age
 * term. Priority steps are 1/3 apart, so the overdue bonus never outweighs one step: the task
 * the heuristic picks always has the highest utility (ties differ in nothing the user values).
 * The utility is the same at every hour and every decision.
 *
 * Reactions: done with σ(3u − 1) (+1), dismiss with σ(−3u − 1) (−1), else snooze (0).
 */
import { linearUser } from './segments.js';
import type { Population } from './world.js';

const OVERDUE_BONUS = 0.25;

export const heuristicUsers: Population = {
  name: 'heuristic',
  drawUser: (random) => {
    const scale = 0.7 + 0.6 * random();
    return linearUser('heuristic', { priority: scale, overdue: OVERDUE_BONUS * scale, age: 0 });
  },
};
