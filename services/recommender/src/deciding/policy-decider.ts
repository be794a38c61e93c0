import { Inject, Injectable, Logger } from '@nestjs/common';
import { RPC, type CandidateScore } from '@oo/contracts';
import { greedyIndex, policyRegistry, RANDOM_POLICY, seededRandom } from '@oo/learning';
import { RpcCallError, RpcClient } from '@oo/messaging';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { RecommenderMetrics } from '../metrics/recommender.metrics.js';

/** One candidate with its feature vector for the live policy and for each shadow. */
export interface FeaturedCandidate {
  taskId: string;
  live: number[];
  /** By shadow policy name. */
  shadows: Record<string, number[]>;
}

/** A policy's scores of the candidates, in candidate order. */
export interface PolicyScores {
  policy: string;
  scores: CandidateScore[];
}

/** Why the random policy decided instead of the live one. */
export type FallbackReason = 'timeout' | 'no_responders' | 'error';

export interface PolicyDecision {
  /** Index of the chosen candidate. */
  index: number;
  policy: string;
  propensity: number;
  /** Not the live policy's UCB argmax (see `isExploration`); always true on the fallback. */
  explored: boolean;
  /** The ε the scorer drew with (absent on the fallback, or from a scorer that did not say). */
  epsilon?: number;
  /** The live model's θ (absent on the fallback: nothing was solved). */
  theta?: number[];
  /** The live policy's scores (absent on the fallback). */
  live?: PolicyScores;
  /** Each shadow's scores, in registry order (empty on the fallback). */
  shadows: PolicyScores[];
  fallback?: FallbackReason;
}

/**
 * Whether a pick is exploration: not the live policy's UCB argmax (ties to the smallest id, as
 * the scorer breaks them). The scorer's ε draw can land on the argmax; that pick is what the
 * model prefers anyway, so it is not explained as exploration.
 */
export function isExploration(scores: readonly CandidateScore[], chosenId: string): boolean {
  return scores.length === 0 || scores[greedyIndex(scores)]!.id !== chosenId;
}

function fallbackReason(error: unknown): FallbackReason {
  if (error instanceof RpcCallError && (error.code === 'timeout' || error.code === 'no_responders'))
    return error.code;
  return 'error';
}

/**
 * Asks the scorer to choose (live policy, its shadows scored on the same candidates, one call)
 * and waits at most `RECOMMENDER_SCORER_TIMEOUT_MS`. When the scorer is down, slow or fails,
 * the random policy decides: a uniform draw from the same seed, propensity 1/n.
 */
@Injectable()
export class PolicyDecider {
  private readonly logger = new Logger(PolicyDecider.name);

  constructor(
    @Inject(RECOMMENDER_ENV) private readonly env: RecommenderEnv,
    private readonly rpc: RpcClient,
    private readonly metrics: RecommenderMetrics,
  ) {}

  async decide(
    userId: string,
    candidates: readonly FeaturedCandidate[],
    seed: number,
  ): Promise<PolicyDecision> {
    const live = policyRegistry.live();
    const shadows = policyRegistry.shadows();
    try {
      const reply = await this.rpc.call(
        RPC.scorer.score,
        {
          userId,
          policy: live.name,
          seed,
          candidates: candidates.map(({ taskId, live: features }) => ({ id: taskId, features })),
          shadows: shadows.map(({ name }) => ({
            policy: name,
            candidates: candidates.map(({ taskId, shadows: byPolicy }) => ({
              id: taskId,
              features: byPolicy[name]!,
            })),
          })),
        },
        this.env.RECOMMENDER_SCORER_TIMEOUT_MS,
      );
      const index = candidates.findIndex(({ taskId }) => taskId === reply.chosen);
      if (index < 0) throw new Error(`the scorer chose '${reply.chosen}', not a candidate`);
      return {
        index,
        policy: reply.policy,
        propensity: reply.propensity,
        explored: isExploration(reply.scores, reply.chosen),
        ...(reply.epsilon === undefined ? {} : { epsilon: reply.epsilon }),
        ...(reply.theta ? { theta: reply.theta } : {}),
        live: { policy: reply.policy, scores: reply.scores },
        shadows: (reply.shadows ?? []).map(({ policy, scores }) => ({ policy, scores })),
      };
    } catch (error) {
      const reason = fallbackReason(error);
      this.metrics.scorerFallbacks.inc({ reason });
      this.logger.warn(
        `scorer fallback for ${userId} (${reason}): ${(error as Error).message}; the random policy decides`,
      );
      const n = candidates.length;
      return {
        index: Math.min(n - 1, Math.floor(seededRandom(seed)() * n)),
        policy: RANDOM_POLICY,
        propensity: 1 / n,
        explored: true,
        shadows: [],
        fallback: reason,
      };
    }
  }
}
