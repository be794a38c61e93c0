import { exactSums, randomGridFeatures, relativeError, solveLinearSystem } from '@oo/testing';
import { quantize } from '../features/quantize.js';
import { ModelFormatError, ModelState } from './model-state.js';
import { solvePosterior } from './ridge.js';
import { seededRandom } from './exploration.js';

const REWARDS = [1, -1, 0, 0.5, -0.5];

function observations(count: number, d: number, seed: number) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    reward: REWARDS[Math.floor(random() * REWARDS.length)]!,
    features: randomGridFeatures(d, random),
  }));
}

function learn(
  d: number,
  batch: ReadonlyArray<{ reward: number; features: number[] }>,
): ModelState {
  const state = ModelState.empty(d);
  for (const { reward, features } of batch) state.apply(reward, features);
  return state;
}

describe('ModelState', () => {
  it('holds A, b, n and Σr exactly: every entry is the exact sum rounded once', () => {
    const batch = observations(5000, 5, 1);
    const state = learn(5, batch);
    const exact = exactSums(batch, 5);
    expect(state.n).toBe(5000);
    expect(state.A()).toEqual(exact.A);
    expect(state.b()).toEqual(exact.b);
    expect(state.rewardSum).toBe(exact.rewardSum);
  });

  it('ends in the same state, bit for bit, whatever order the observations arrive in', () => {
    const batch = observations(3000, 11, 2);
    const forward = learn(11, batch);
    const backward = learn(11, [...batch].reverse());
    const random = seededRandom(3);
    const shuffled = learn(
      11,
      [...batch].sort(() => random() - 0.5),
    );
    expect(backward.equals(forward)).toBe(true);
    expect(shuffled.equals(forward)).toBe(true);
    expect(Buffer.compare(shuffled.encode(), forward.encode())).toBe(0);
  });

  it('merges two partial models into exactly the model of all observations', () => {
    const batch = observations(2000, 5, 4);
    const merged = learn(5, batch.slice(0, 700));
    merged.merge(learn(5, batch.slice(700)));
    expect(merged.equals(learn(5, batch))).toBe(true);
  });

  it('solves to the closed-form ridge solution after 10,000 updates (1e-9 relative)', () => {
    const batch = observations(10_000, 5, 5);
    const { theta } = solvePosterior(learn(5, batch));
    const exact = exactSums(batch, 5);
    expect(relativeError(theta, solveLinearSystem(exact.A, exact.b))).toBeLessThan(1e-9);
  });

  it('round-trips through its binary encoding (2 + 8 × 45 bytes for d = 5)', () => {
    const state = learn(5, observations(50, 5, 6));
    const bytes = state.encode();
    expect(bytes.length).toBe(362);
    expect(ModelState.decode(bytes).equals(state)).toBe(true);
  });

  it('refuses bytes that are not a model it can read', () => {
    const bytes = learn(5, observations(3, 5, 7)).encode();
    expect(() => ModelState.decode(bytes.subarray(0, 100))).toThrow(ModelFormatError);
    const future = Buffer.from(bytes);
    future[0] = 9;
    expect(() => ModelState.decode(future)).toThrow(/unknown model format 9/);
  });

  it('refuses observations off the grid, out of range, or of the wrong length', () => {
    const state = ModelState.empty(3);
    expect(() => state.apply(1, [0.1, 0.2, 0.3])).toThrow(/feature grid/);
    expect(() => state.apply(1, [quantize(0.1), 2, 0])).toThrow(/features\[1\]/);
    expect(() => state.apply(Number.NaN, [0, 0, 0])).toThrow(/reward/);
    expect(() => state.apply(1, [0, 0])).toThrow(/2 values, the model takes 3/);
    expect(state.n).toBe(0);
  });
});
