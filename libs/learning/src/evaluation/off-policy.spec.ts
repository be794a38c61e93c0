import { seededRandom } from '../linucb/exploration.js';
import { estimateImprovement, estimateOffPolicy, type LoggedOutcome } from './off-policy.js';

const Z = 1.959963984540054;

describe('estimateOffPolicy', () => {
  it('has nothing to say about an empty log', () => {
    expect(estimateOffPolicy([])).toEqual({
      decisions: 0,
      ips: { estimate: null, low: null, high: null },
      snips: { estimate: null, low: null, high: null },
      effectiveSampleSize: 0,
    });
  });

  it('on its own decisions (π = μ) both estimates are the mean reward and every decision counts', () => {
    const rewards = [1, 0, -1, 1, 1];
    const log = rewards.map((reward) => ({
      loggingPropensity: 0.8,
      targetProbability: 0.8,
      reward,
    }));
    const mean = 2 / 5;
    const sd = Math.sqrt(rewards.reduce((sum, r) => sum + (r - mean) ** 2, 0) / 4);

    const estimate = estimateOffPolicy(log);

    expect(estimate.decisions).toBe(5);
    expect(estimate.ips.estimate).toBeCloseTo(mean, 12);
    expect(estimate.ips.low).toBeCloseTo(mean - (Z * sd) / Math.sqrt(5), 12);
    expect(estimate.ips.high).toBeCloseTo(mean + (Z * sd) / Math.sqrt(5), 12);
    expect(estimate.snips.estimate).toBeCloseTo(mean, 12);
    // With unit weights the delta-method variance is the sample variance of the mean.
    expect(estimate.snips.low).toBeCloseTo(estimate.ips.low!, 12);
    expect(estimate.snips.high).toBeCloseTo(estimate.ips.high!, 12);
    expect(estimate.effectiveSampleSize).toBeCloseTo(5, 12);
  });

  it('weights each reward by π/μ: IPS divides by n, SNIPS by the weights', () => {
    const log: LoggedOutcome[] = [
      { loggingPropensity: 0.5, targetProbability: 1, reward: 1 }, // w = 2
      { loggingPropensity: 0.25, targetProbability: 0, reward: -1 }, // w = 0
      { loggingPropensity: 0.5, targetProbability: 0.25, reward: -1 }, // w = 0.5
    ];

    const estimate = estimateOffPolicy(log);

    expect(estimate.ips.estimate).toBeCloseTo((2 - 0.5) / 3, 12);
    const ipsTerms = [2, 0, -0.5];
    const ipsVariance = ipsTerms.reduce((sum, x) => sum + (x - 0.5) ** 2, 0) / 2 / 3;
    expect(estimate.ips.high! - estimate.ips.estimate!).toBeCloseTo(Z * Math.sqrt(ipsVariance), 12);
    expect(estimate.snips.estimate).toBeCloseTo(1.5 / 2.5, 12);
    const residuals = (2 * (1 - 0.6)) ** 2 + 0 + (0.5 * (-1 - 0.6)) ** 2;
    const snipsVariance = ((residuals / 2.5 ** 2) * 3) / 2;
    expect(estimate.snips.estimate! - estimate.snips.low!).toBeCloseTo(
      Z * Math.sqrt(snipsVariance),
      12,
    );
    expect(estimate.effectiveSampleSize).toBeCloseTo(2.5 ** 2 / 4.25, 12);
  });

  it('a target that never agrees with the log: IPS 0 with no spread, SNIPS undefined, ESS 0', () => {
    const log = [1, -1, 0].map((reward) => ({
      loggingPropensity: 0.9,
      targetProbability: 0,
      reward,
    }));

    expect(estimateOffPolicy(log)).toEqual({
      decisions: 3,
      ips: { estimate: 0, low: 0, high: 0 },
      snips: { estimate: null, low: null, high: null },
      effectiveSampleSize: 0,
    });
  });

  it('one decision gives an estimate but no interval', () => {
    const estimate = estimateOffPolicy([
      { loggingPropensity: 0.5, targetProbability: 0.5, reward: 1 },
    ]);

    expect(estimate.ips).toEqual({ estimate: 1, low: null, high: null });
    expect(estimate.snips).toEqual({ estimate: 1, low: null, high: null });
    expect(estimate.effectiveSampleSize).toBe(1);
  });

  it('refuses a propensity that cannot come from a log', () => {
    expect(() =>
      estimateOffPolicy([{ loggingPropensity: 0, targetProbability: 0.5, reward: 1 }]),
    ).toThrow(/logging propensity/);
    expect(() =>
      estimateOffPolicy([{ loggingPropensity: 0.5, targetProbability: 1.5, reward: 1 }]),
    ).toThrow(/target probability/);
    expect(() =>
      estimateOffPolicy([{ loggingPropensity: Number.NaN, targetProbability: 0.5, reward: 1 }]),
    ).toThrow(/logging propensity/);
  });

  it('the 95 % intervals cover the true value in about 95 % of repeated logs', () => {
    // Three arms with known mean rewards; the log picks uniformly, the target prefers arm 2.
    const means = [0.2, -0.1, 0.5];
    const target = [0.1, 0.1, 0.8];
    const truth = target.reduce((sum, p, k) => sum + p * means[k]!, 0);
    const random = seededRandom(20261202);
    const repetitions = 400;
    let ipsCovers = 0;
    let snipsCovers = 0;
    for (let rep = 0; rep < repetitions; rep += 1) {
      const log: LoggedOutcome[] = [];
      for (let i = 0; i < 300; i += 1) {
        const arm = Math.floor(random() * 3);
        // Rewards in {−1, 0, 1} whose mean is the arm's: P(+1) − P(−1) = m.
        const u = random();
        const pUp = 0.25 + means[arm]! / 2;
        const pDown = 0.25 - means[arm]! / 2;
        const reward = u < pUp ? 1 : u < pUp + pDown ? -1 : 0;
        log.push({ loggingPropensity: 1 / 3, targetProbability: target[arm]!, reward });
      }
      const { ips, snips } = estimateOffPolicy(log);
      if (ips.low! <= truth && truth <= ips.high!) ipsCovers += 1;
      if (snips.low! <= truth && truth <= snips.high!) snipsCovers += 1;
    }

    expect(ipsCovers / repetitions).toBeGreaterThan(0.91);
    expect(ipsCovers / repetitions).toBeLessThan(0.99);
    expect(snipsCovers / repetitions).toBeGreaterThan(0.91);
    expect(snipsCovers / repetitions).toBeLessThan(0.99);
  });
});

describe('estimateImprovement', () => {
  it('is the paired SNIPS difference, zero with a tight interval for two policies that agree', () => {
    const random = seededRandom(3);
    const same = Array.from({ length: 500 }, () => ({
      loggingPropensity: 0.5,
      candidateProbability: 0.5,
      incumbentProbability: 0.5,
      reward: random() < 0.5 ? 1 : 0,
    }));
    expect(estimateImprovement(same)).toEqual({ estimate: 0, low: 0, high: 0 });
  });

  it('finds a better candidate from uniform logs: its interval holds the true gain, above 0', () => {
    const random = seededRandom(4);
    // Two actions logged uniformly; action 1 pays 0.6 on average, action 0 pays 0.2. The
    // candidate always takes 1, the incumbent always 0: the true improvement is 0.4.
    const outcomes = Array.from({ length: 4000 }, () => {
      const action = random() < 0.5 ? 0 : 1;
      return {
        loggingPropensity: 0.5,
        candidateProbability: action === 1 ? 1 : 0,
        incumbentProbability: action === 0 ? 1 : 0,
        reward: random() < (action === 1 ? 0.6 : 0.2) ? 1 : 0,
      };
    });
    const { estimate, low, high } = estimateImprovement(outcomes);
    expect(low!).toBeGreaterThan(0);
    expect(low!).toBeLessThan(0.4);
    expect(high!).toBeGreaterThan(0.4);
    expect(estimate!).toBeCloseTo(0.4, 1);
  });

  it('has nothing to say about no decisions', () => {
    expect(estimateImprovement([])).toEqual({ estimate: null, low: null, high: null });
  });
});
