import type { TipServedV1 } from '@oo/contracts';
import { greedyIndex, policyRegistry } from '@oo/learning';
import type { StoredTip, TipScoreEntry } from '../tips/tip.repository.js';

/**
 * `tip.served` of a logged decision, from the tip and its `tip_score` rows alone — so the relay
 * rebuilds exactly what the decision would have published. Each shadow's choice is its UCB
 * argmax (ties to the smallest id, as the scorer breaks them), with that pick's propensity
 * under ε-greedy: `1 − ε + ε/K`. `score` is the chosen task's live UCB (0 for `random`, which
 * scores nothing).
 */
export function servedEventData(
  tip: StoredTip,
  scores: readonly TipScoreEntry[],
  epsilon: number,
): TipServedV1 {
  const ofPolicy = (policy: string) =>
    scores
      .filter((score) => score.policy === policy)
      .map(({ taskId, mean, bonus, ucb }) => ({ id: taskId, mean, bonus, ucb }));
  const chosen = ofPolicy(tip.policy).find(({ id }) => id === tip.taskId);
  return {
    tipId: tip.id,
    taskId: tip.taskId,
    policy: tip.policy,
    features: tip.features,
    score: chosen?.ucb ?? 0,
    propensity: tip.propensity,
    candidates: tip.candidateCount,
    channel: tip.channel,
    shadow: policyRegistry.shadows().flatMap(({ name }) => {
      const shadowScores = ofPolicy(name);
      if (shadowScores.length === 0) return [];
      const best = shadowScores[greedyIndex(shadowScores)]!;
      return [
        {
          policy: name,
          taskId: best.id,
          score: best.ucb,
          propensity: 1 - epsilon + epsilon / shadowScores.length,
        },
      ];
    }),
  };
}
