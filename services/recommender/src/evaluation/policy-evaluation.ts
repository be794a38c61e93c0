import { estimateOffPolicy, type LoggedOutcome, type OffPolicyEstimate } from '@oo/learning';
import { targetProbability, type LoggedDecision } from './target-probability.js';

/** What the log says about one policy: `rpc.recommender.evaluate`'s answer. */
export interface PolicyEvaluation extends OffPolicyEstimate {
  policy: string;
  /**
   * Decisions with an outcome that cannot judge this policy: they did not log its scores
   * (scorer fallback), or another policy made them without exploring (ε 0).
   */
  skipped: number;
  /** Decisions still open (no terminal reaction yet): no outcome, no evidence for any policy. */
  pending: number;
  /**
   * Decisions that ended without a terminal reaction (their task went away): no outcome until
   * the sweeper records them `expired` after the expiry window, like open ones.
   */
  noOutcome: number;
  /** The decisions this policy made itself (with an outcome) and their plain mean reward. */
  onPolicy: { decisions: number; meanReward: number | null };
}

/** Collects one target policy's logged outcomes decision by decision, then estimates. */
export class PolicyTally {
  private readonly outcomes: LoggedOutcome[] = [];
  private skipped = 0;
  private pending = 0;
  private noOutcome = 0;
  private onPolicyDecisions = 0;
  private onPolicyRewardSum = 0;

  constructor(
    readonly policy: string,
    /** For decisions that did not log their ε. */
    private readonly defaultEpsilon: number,
  ) {}

  add(decision: LoggedDecision): void {
    if (decision.reward === null) {
      if (decision.open) this.pending += 1;
      else this.noOutcome += 1;
      return;
    }
    if (decision.policy === this.policy) {
      this.onPolicyDecisions += 1;
      this.onPolicyRewardSum += decision.reward;
    }
    // A decision logged without exploration (ε 0: the scorer before a population prior) gave
    // every other task probability 0, so it can judge only the policy that made it.
    const unexplored = decision.epsilon === 0 && decision.policy !== this.policy;
    const probability = unexplored
      ? undefined
      : targetProbability(decision, this.policy, this.defaultEpsilon);
    if (probability === undefined) {
      this.skipped += 1;
      return;
    }
    this.outcomes.push({
      loggingPropensity: decision.propensity,
      targetProbability: probability,
      reward: decision.reward,
    });
  }

  result(): PolicyEvaluation {
    return {
      policy: this.policy,
      ...estimateOffPolicy(this.outcomes),
      skipped: this.skipped,
      pending: this.pending,
      noOutcome: this.noOutcome,
      onPolicy: {
        decisions: this.onPolicyDecisions,
        meanReward:
          this.onPolicyDecisions > 0 ? this.onPolicyRewardSum / this.onPolicyDecisions : null,
      },
    };
  }
}

/** Evaluates several policies in one pass over the log, in the order they are named. */
export async function evaluatePolicies(
  decisions: AsyncIterable<LoggedDecision> | Iterable<LoggedDecision>,
  policies: readonly string[],
  defaultEpsilon: number,
): Promise<PolicyEvaluation[]> {
  const tallies = policies.map((policy) => new PolicyTally(policy, defaultEpsilon));
  for await (const decision of decisions) for (const tally of tallies) tally.add(decision);
  return tallies.map((tally) => tally.result());
}
