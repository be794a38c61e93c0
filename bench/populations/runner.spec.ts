import { oracleShare, runPopulation, type RunResult } from './runner.js';
import { segments } from './segments.js';
import { sparse } from './sparse.js';

// Tiny on purpose: the runner's arithmetic, not the learner's quality.
const OPTIONS = { warmUsers: 20, evalUsers: 20, decisions: 30, seed: 3 };
const ALL = { label: '1–30', from: 1, to: 30 };

describe('population runner (tiny)', () => {
  let result: RunResult;

  beforeAll(() => {
    result = runPopulation(segments, OPTIONS);
  });

  it('gives the oracle 100 % of its own gain and random about none of it', () => {
    expect(oracleShare(result, 'oracle', ALL)).toBeCloseTo(1, 12);
    expect(Math.abs(oracleShare(result, 'random', ALL))).toBeLessThan(0.06);
  });

  it('learns a prior from the warm cohort and is deterministic for a seed', () => {
    expect(result.prior.users).toBe(OPTIONS.warmUsers);
    const again = runPopulation(segments, OPTIONS);
    expect(Array.from(again.curves['oO-warm'])).toEqual(Array.from(result.curves['oO-warm']));
  });

  it('runs a population’s reference learner next to the others, where it has one', () => {
    expect(result.curves.bound).toBeUndefined();
    const bounded = runPopulation(sparse, OPTIONS);
    // Told the segments, it beats random on its own users' sparse reactions.
    expect(oracleShare(bounded, 'bound', ALL)).toBeGreaterThan(0.2);
  });
});
