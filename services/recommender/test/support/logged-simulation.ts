import { randomUUID } from 'node:crypto';
import { chooseCandidate, greedyIndex, policyRegistry, seededRandom } from '@oo/learning';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import {
  TipRepository,
  type NewTip,
  type TipEndReason,
  type TipScoreEntry,
} from '../../src/tips/tip.repository.js';

export interface SimulationOptions {
  seed: number;
  users: number;
  decisionsPerUser: number;
  /** The exploration rate the live policy logs with (and the evaluation must assume). */
  epsilon: number;
  /** Share of decisions the scorer "did not answer": drawn uniformly, logged as `random`. */
  fallbackShare: number;
  /**
   * Share of decisions that end without an outcome (their task went away: no terminal
   * reaction, some with a rating only). Besides, every other user's last decision stays open.
   */
  goneShare: number;
  /** When the first decision was served; one a minute after that. */
  start: Date;
}

/** What the simulation knows and the log does not: each policy's true mean reward. */
export interface SimulationTruth {
  /** Decisions written, open ones included. */
  decisions: number;
  /** Decisions with a terminal reaction. */
  closed: number;
  /** Closed decisions the scorer had not answered (logged as `random`, no scores). */
  closedFallbacks: number;
  /** Still open: no terminal reaction yet. */
  open: number;
  /** Ended without a terminal reaction (task gone). */
  gone: number;
  /**
   * The expected reward of each target policy, averaged over the closed decisions it can be
   * judged on (all of them for `random`; those with scores for a model), given their
   * candidates: what an unbiased estimate converges to.
   */
  trueMean: Record<string, number>;
  /** Closed decisions per user, and served from the `since` instant on. */
  closedOf(userId: string): number;
  closedSince(since: Date): number;
  userIds: string[];
}

const LIVE = policyRegistry.live().name;
const SHADOW = policyRegistry.shadows()[0]!.name;
const DIMENSION = 3;
/** Expected rewards are (P(done) − P(dismiss)); the rest of the mass is snooze or expiry. */
const ENGAGEMENT = 0.7;

/**
 * A seeded population of users with tasks whose expected reward is known, served by an
 * ε-greedy LinUCB-like live policy (a model with a slightly wrong θ and an exploration bonus)
 * with a shadow policy (a better θ) scored and logged beside it, plus decisions by the random
 * fallback. Every decision is written as the recommender logs it (TipRepository.createTip with
 * the live and shadow scores), and outcomes drawn from the truth as terminal reactions.
 */
export async function writeLoggedSimulation(
  prisma: PrismaClient,
  options: SimulationOptions,
): Promise<SimulationTruth> {
  const { plans, truth } = simulateLog(options);
  const tips = new TipRepository(prisma);
  const reactions: Array<{
    tipId: string;
    kind: 'terminal' | 'rating';
    action: string;
    reward: number;
  }> = [];
  // One sequence of writes per user (one open tip at a time), users in parallel.
  await Promise.all(
    plans.map(async (decisions) => {
      for (const plan of decisions) {
        const { created, tip } = await tips.createTip(plan.tip);
        if (!created) throw new Error('the simulation writes one decision at a time per user');
        // A rating is not an outcome: evaluation must not take it for one.
        if (plan.rated) {
          reactions.push({ tipId: tip.id, kind: 'rating', action: 'helpful', reward: 0.5 });
        }
        if (plan.fate === 'closed') {
          reactions.push({ tipId: tip.id, kind: 'terminal', ...plan.outcome });
          await tips.endTip(tip.id, plan.outcome.action as TipEndReason, plan.tip.servedAt);
        } else if (plan.fate === 'gone') {
          await tips.endTip(tip.id, 'task_gone', plan.tip.servedAt);
        }
      }
    }),
  );
  for (let i = 0; i < reactions.length; i += 500) {
    await prisma.tipReaction.createMany({
      data: reactions.slice(i, i + 500).map((reaction) => ({
        ...reaction,
        source: 'user',
        reactedAt: options.start,
        eventId: randomUUID(),
      })),
    });
  }
  return truth;
}

/** A decision as the simulation plans it: the tip to log and what happens to it. */
export interface PlannedDecision {
  tip: NewTip;
  fate: 'closed' | 'gone' | 'open';
  outcome: { action: string; reward: number };
  rated: boolean;
}

/** The simulation without the database: every draw, in a fixed order, from the seed. */
export function simulateLog(options: SimulationOptions): {
  plans: PlannedDecision[][];
  truth: SimulationTruth;
} {
  const random = seededRandom(options.seed);
  const gaussian = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const thetaTrue = [0.9, -0.6, 0.4];
  const thetaLive = [-0.2, 0.2, 0.9]; // wrong about which tasks matter most
  const thetaShadow = [0.8, -0.5, 0.5]; // close to the truth
  const dot = (a: readonly number[], b: readonly number[]): number =>
    a.reduce((sum, value, i) => sum + value * b[i]!, 0);
  const clip = (value: number): number => Math.max(-1, Math.min(1, value));

  interface Task {
    id: string;
    features: number[];
    expectedReward: number;
  }
  const userIds = Array.from({ length: options.users }, () => `sim-${randomUUID().slice(0, 8)}`);
  const pools = userIds.map((_, u) =>
    Array.from({ length: 8 }, (__, k): Task => {
      const features = Array.from({ length: DIMENSION }, () => Math.round(random() * 100) / 100);
      return {
        id: `u${u}-task-${k}`,
        features,
        expectedReward: ENGAGEMENT * clip(dot(thetaTrue, features) - 0.3),
      };
    }),
  );

  const sums: Record<string, number> = { [LIVE]: 0, [SHADOW]: 0, random: 0 };
  let closed = 0;
  let closedFallbacks = 0;
  let open = 0;
  let gone = 0;
  const closedByUser = new Map<string, number>();
  const closedAt: Date[] = [];

  // Drawn up front in a fixed order, so the seed alone decides the log whatever the writes'
  // interleaving; the writes then run one sequence per user, users in parallel.
  const plans = userIds.map((userId, u) =>
    Array.from({ length: options.decisionsPerUser }, (_, i) => {
      const pool = pools[u]!;
      const n = 3 + Math.floor(random() * 4);
      // A partial Fisher–Yates shuffle: n distinct tasks of the user's pool.
      const shuffled = [...pool];
      for (let k = 0; k < n; k += 1) {
        const j = k + Math.floor(random() * (shuffled.length - k));
        [shuffled[k], shuffled[j]] = [shuffled[j]!, shuffled[k]!];
      }
      const candidates = shuffled.slice(0, n);
      const score = (theta: number[], policy: string): TipScoreEntry[] =>
        candidates.map((task) => {
          const mean = dot(theta, task.features) + 0.05 * gaussian();
          const bonus = 0.1 * random();
          return {
            policy,
            taskId: task.id,
            features: task.features,
            mean,
            bonus,
            ucb: mean + bonus,
          };
        });
      const fallback = random() < options.fallbackShare;
      const liveScores = score(thetaLive, LIVE);
      const shadowScores = score(thetaShadow, SHADOW);
      let index: number;
      let propensity: number;
      if (fallback) {
        index = Math.floor(random() * n);
        propensity = 1 / n;
      } else {
        const choice = chooseCandidate(
          liveScores.map(({ taskId, mean, bonus, ucb }) => ({ id: taskId, mean, bonus, ucb })),
          options.epsilon,
          random,
        );
        index = choice.index;
        propensity = choice.propensity;
      }
      const chosen = candidates[index]!;
      const u01 = random();
      const pDone = (ENGAGEMENT + chosen.expectedReward) / 2;
      const pDismiss = (ENGAGEMENT - chosen.expectedReward) / 2;
      const outcome =
        u01 < pDone
          ? { action: 'done', reward: 1 }
          : u01 < pDone + pDismiss
            ? { action: 'dismiss', reward: -1 }
            : { action: random() < 0.5 ? 'snooze' : 'expired', reward: 0 };
      const fate: 'closed' | 'gone' | 'open' =
        i === options.decisionsPerUser - 1 && u % 2 === 0
          ? 'open'
          : random() < options.goneShare
            ? 'gone'
            : 'closed';
      const servedAt = new Date(
        options.start.getTime() + (u * options.decisionsPerUser + i) * 60_000,
      );

      if (fate === 'open') {
        open += 1;
      } else if (fate === 'gone') {
        gone += 1;
      } else {
        closed += 1;
        closedByUser.set(userId, (closedByUser.get(userId) ?? 0) + 1);
        closedAt.push(servedAt);
        const meanOf = (probabilities: number[]): number =>
          probabilities.reduce((sum, p, k) => sum + p * candidates[k]!.expectedReward, 0);
        sums.random! += meanOf(candidates.map(() => 1 / n));
        if (fallback) {
          closedFallbacks += 1;
        } else {
          for (const [policy, scores] of [
            [LIVE, liveScores],
            [SHADOW, shadowScores],
          ] as const) {
            const greedy = greedyIndex(
              scores.map(({ taskId, mean, bonus, ucb }) => ({ id: taskId, mean, bonus, ucb })),
            );
            sums[policy]! += meanOf(
              candidates.map(
                (_task, k) => (k === greedy ? 1 - options.epsilon : 0) + options.epsilon / n,
              ),
            );
          }
        }
      }
      const tip: NewTip = {
        userId,
        channel: 'web',
        taskId: chosen.id,
        provider: 'todoist',
        title: 'simulated task',
        priority: 1,
        due: null,
        url: null,
        policy: fallback ? 'random' : LIVE,
        propensity,
        features: chosen.features,
        shadow: fallback ? null : { [SHADOW]: chosen.features },
        seed: BigInt(options.seed),
        candidateCount: n,
        latencyMs: 1,
        servedAt,
        scores: fallback ? [] : [...liveScores, ...shadowScores],
        // As the scorer's reply says it; the random fallback draws without ε.
        epsilon: fallback ? null : options.epsilon,
      };
      return { tip, fate, outcome, rated: fate !== 'closed' && random() < 0.5 };
    }),
  );

  const scoredClosed = closed - closedFallbacks;
  const truth: SimulationTruth = {
    decisions: options.users * options.decisionsPerUser,
    closed,
    closedFallbacks,
    open,
    gone,
    trueMean: {
      random: sums.random! / closed,
      [LIVE]: sums[LIVE]! / scoredClosed,
      [SHADOW]: sums[SHADOW]! / scoredClosed,
    },
    closedOf: (userId) => closedByUser.get(userId) ?? 0,
    closedSince: (since) => closedAt.filter((at) => at >= since).length,
    userIds,
  };
  return { plans, truth };
}
