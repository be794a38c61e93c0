import { egreedyProbability, policyRegistry, RANDOM_POLICY } from '@oo/learning';

/** One candidate's upper confidence bound under one policy, as the decision logged it. */
export interface LoggedUcb {
  taskId: string;
  ucb: number;
}

/** A decision as off-policy evaluation reads it from the tip log. */
export interface LoggedDecision {
  tipId: string;
  /** The policy that chose: the live model, or `random` when the scorer did not answer. */
  policy: string;
  taskId: string;
  propensity: number;
  candidateCount: number;
  /** The terminal reaction's reward; null while the tip is open, or if it ended without one. */
  reward: number | null;
  /** Not yet ended: it may still get its terminal reaction. */
  open: boolean;
  /** Each scored policy's UCBs of every candidate (empty when the scorer did not answer). */
  ucbs: ReadonlyMap<string, readonly LoggedUcb[]>;
  /** The ε the scorer drew with for this decision; null/unset when not logged (use the default). */
  epsilon?: number | null;
}

/** The policies evaluation can target: every model the registry knows, and `random`. */
export function evaluablePolicies(): string[] {
  return [...policyRegistry.names(), RANDOM_POLICY];
}

export function isEvaluable(policy: string): boolean {
  return policy === RANDOM_POLICY || policyRegistry.get(policy) !== undefined;
}

/**
 * π(chosen task | decision) for a target policy: uniform 1/n for `random`; for a model, the
 * scorer's ε-greedy over its logged UCBs — with the ε logged with the decision, else
 * `defaultEpsilon` (tips logged before the scorer said its ε) — `(1 − ε)·[chosen is the UCB argmax] + ε/n`, with ties
 * to the smallest task id exactly as the scorer breaks them. Undefined when the decision did
 * not log the target's scores (the scorer did not answer, or did not score the chosen task):
 * the target's choice cannot be known, so the decision says nothing about it.
 */
export function targetProbability(
  decision: LoggedDecision,
  target: string,
  defaultEpsilon: number,
): number | undefined {
  if (target === RANDOM_POLICY) return 1 / decision.candidateCount;
  const epsilon = decision.epsilon ?? defaultEpsilon;
  const ucbs = decision.ucbs.get(target);
  if (!ucbs || ucbs.length === 0) return undefined;
  const scores = ucbs.map(({ taskId, ucb }) => ({ id: taskId, ucb }));
  const chosen = scores.findIndex((score) => score.id === decision.taskId);
  if (chosen < 0) return undefined;
  // The scorer's own formula, so on-policy weights are exactly 1.
  return egreedyProbability(scores, epsilon, chosen);
}
