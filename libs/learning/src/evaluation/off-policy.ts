/** One logged decision as an off-policy estimator sees it. */
export interface LoggedOutcome {
  /** μ: the probability the deciding policy gave the task it chose (logged with the tip). */
  loggingPropensity: number;
  /** π: the probability the evaluated policy would have chosen that same task. */
  targetProbability: number;
  reward: number;
}

/**
 * An estimate with its 95 % confidence interval. All three are null when there is nothing to
 * estimate from; `low`/`high` alone are null when one decision cannot give a variance.
 */
export interface Interval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

export interface OffPolicyEstimate {
  decisions: number;
  /** Inverse propensity scoring: mean of r·w, w = π/μ. Unbiased, high variance. */
  ips: Interval;
  /** Self-normalised IPS: Σ r·w / Σ w. Slightly biased, bounded by the rewards, steadier. */
  snips: Interval;
  /** (Σw)² / Σw²: how many on-policy decisions the weighted log is worth; 0 if no weight. */
  effectiveSampleSize: number;
}

/** The two-sided 95 % normal quantile. */
const Z_95 = 1.959963984540054;

const NOTHING: Interval = { estimate: null, low: null, high: null };

/**
 * IPS and SNIPS of a target policy's mean reward from decisions another policy logged.
 *
 * IPS's interval is the normal approximation with the sample variance of r·w. SNIPS's is the
 * delta method for a ratio estimator: Var ≈ Σ w²(r − ŝ)² / (Σw)², with the n/(n−1) small
 * sample correction. Both are unbiased (SNIPS consistent) only if the logging policy gave every
 * task the target might choose a probability > 0 — not just the task it chose: a log of
 * decisions made without exploration (ε 0) cannot judge another policy, and its caller must
 * leave such decisions out.
 */
export function estimateOffPolicy(outcomes: readonly LoggedOutcome[]): OffPolicyEstimate {
  const n = outcomes.length;
  if (n === 0) return { decisions: 0, ips: NOTHING, snips: NOTHING, effectiveSampleSize: 0 };
  const weights = outcomes.map(({ loggingPropensity, targetProbability }) => {
    if (!(loggingPropensity > 0) || !(loggingPropensity <= 1)) {
      throw new RangeError(`a logging propensity must be in (0, 1], got ${loggingPropensity}`);
    }
    if (!(targetProbability >= 0) || !(targetProbability <= 1)) {
      throw new RangeError(`a target probability must be in [0, 1], got ${targetProbability}`);
    }
    return targetProbability / loggingPropensity;
  });
  const rewards = outcomes.map((outcome) => outcome.reward);
  let weightSum = 0;
  let squaredWeightSum = 0;
  let weightedRewardSum = 0;
  for (let i = 0; i < n; i += 1) {
    weightSum += weights[i]!;
    squaredWeightSum += weights[i]! ** 2;
    weightedRewardSum += weights[i]! * rewards[i]!;
  }

  const ipsEstimate = weightedRewardSum / n;
  let ipsSquares = 0;
  for (let i = 0; i < n; i += 1) ipsSquares += (weights[i]! * rewards[i]! - ipsEstimate) ** 2;
  const ips = withInterval(ipsEstimate, n > 1 ? Math.sqrt(ipsSquares / (n - 1) / n) : null);

  let snips: Interval = NOTHING;
  if (weightSum > 0) {
    const snipsEstimate = weightedRewardSum / weightSum;
    let residuals = 0;
    for (let i = 0; i < n; i += 1) residuals += (weights[i]! * (rewards[i]! - snipsEstimate)) ** 2;
    const variance = ((residuals / weightSum ** 2) * n) / (n - 1);
    snips = withInterval(snipsEstimate, n > 1 ? Math.sqrt(variance) : null);
  }

  return {
    decisions: n,
    ips,
    snips,
    effectiveSampleSize: squaredWeightSum > 0 ? weightSum ** 2 / squaredWeightSum : 0,
  };
}

function withInterval(estimate: number, standardError: number | null): Interval {
  if (standardError === null) return { estimate, low: null, high: null };
  return { estimate, low: estimate - Z_95 * standardError, high: estimate + Z_95 * standardError };
}

/** One logged decision as two policies see it: what each would have chosen it with. */
export interface PairedOutcome {
  loggingPropensity: number;
  candidateProbability: number;
  incumbentProbability: number;
  reward: number;
}

/**
 * SNIPS of V(candidate) − V(incumbent) from the same logged decisions, with its 95 % interval:
 * Σ w_c·r / Σ w_c − Σ w_i·r / Σ w_i. Paired, so what both policies agree on cancels out of the
 * variance (the delta method over both ratios at once, with the n/(n−1) correction), and the
 * interval is that of the improvement itself — a candidate is better with confidence when its
 * lower end is above 0. Null where either policy has no weight on the log.
 */
export function estimateImprovement(outcomes: readonly PairedOutcome[]): Interval {
  const n = outcomes.length;
  let candidateWeights = 0;
  let incumbentWeights = 0;
  let candidateSum = 0;
  let incumbentSum = 0;
  for (const outcome of outcomes) {
    const { loggingPropensity, candidateProbability, incumbentProbability, reward } = outcome;
    if (!(loggingPropensity > 0) || !(loggingPropensity <= 1)) {
      throw new RangeError(`a logging propensity must be in (0, 1], got ${loggingPropensity}`);
    }
    candidateWeights += candidateProbability / loggingPropensity;
    incumbentWeights += incumbentProbability / loggingPropensity;
    candidateSum += (candidateProbability / loggingPropensity) * reward;
    incumbentSum += (incumbentProbability / loggingPropensity) * reward;
  }
  if (n === 0 || candidateWeights === 0 || incumbentWeights === 0) return NOTHING;
  const candidate = candidateSum / candidateWeights;
  const incumbent = incumbentSum / incumbentWeights;
  const estimate = candidate - incumbent;
  if (n === 1) return { estimate, low: null, high: null };
  // Influence of each decision on the difference of the two ratios.
  let squares = 0;
  for (const outcome of outcomes) {
    const { loggingPropensity, candidateProbability, incumbentProbability, reward } = outcome;
    const influence =
      ((candidateProbability / loggingPropensity) * (reward - candidate) * n) / candidateWeights -
      ((incumbentProbability / loggingPropensity) * (reward - incumbent) * n) / incumbentWeights;
    squares += influence * influence;
  }
  return withInterval(estimate, Math.sqrt(squares / (n - 1) / n));
}
