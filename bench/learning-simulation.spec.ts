import {
  meanExpectedReward,
  reportWindows,
  shareOfOracleGain,
  simulateLearning,
  type SimulationResult,
} from './learning-simulation.js';

// A small population: enough for facts that hold with a wide margin, far too few for the
// issue's percentages, which only the full benchmark (`npm run bench -- learning`) reports.
const OPTIONS = { warmUsers: 60, evalUsers: 60, decisions: 150, seed: 7 };
const windows = reportWindows(OPTIONS.decisions);
const [EARLY, LATE, ALL] = [windows[0]!, windows[1]!, windows[2]!];

describe('learning simulation (small)', () => {
  let result: SimulationResult;

  beforeAll(() => {
    result = simulateLearning(OPTIONS);
  });

  it('learns the population prior from the warm cohort’s models', () => {
    expect(result.priors.d5.users).toBe(OPTIONS.warmUsers);
    expect(result.priors.x11.components[0]!.theta0).toHaveLength(11);
    // Everyone prefers urgent tasks, so the population agrees on a positive priority weight.
    for (const group of result.priors.d5.components) expect(group.theta0[4]).toBeGreaterThan(0);
  });

  it('ranks oracle ≥ live ≥ random on mean expected reward', () => {
    const reward = (policy: 'oracle' | 'live-prior' | 'random'): number =>
      meanExpectedReward(result.curves.all, policy, ALL, OPTIONS.evalUsers);
    expect(reward('oracle')).toBeGreaterThanOrEqual(reward('live-prior'));
    expect(reward('live-prior')).toBeGreaterThan(reward('random'));
  });

  it('captures most of the oracle’s gain once it has learned, with the prior', () => {
    expect(shareOfOracleGain(result.curves.all, 'live-prior', LATE)).toBeGreaterThan(0.8);
    expect(shareOfOracleGain(result.curves.all, 'x11-prior', LATE)).toBeGreaterThan(0.75);
  });

  it('improves with experience: later decisions are better than the first ones', () => {
    const late = shareOfOracleGain(result.curves.all, 'live-cold', LATE);
    expect(late).toBeGreaterThan(shareOfOracleGain(result.curves.all, 'live-cold', EARLY));
  });

  it('is deterministic for a seed', () => {
    const tiny = { ...OPTIONS, warmUsers: 20, evalUsers: 3, decisions: 30 };
    const again = simulateLearning(tiny);
    const twice = simulateLearning(tiny);
    expect(Array.from(twice.curves.all['live-prior'])).toEqual(
      Array.from(again.curves.all['live-prior']),
    );
  });
});
