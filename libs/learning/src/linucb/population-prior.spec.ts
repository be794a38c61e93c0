import { randomGridFeatures } from '@oo/testing';
import { quantize } from '../features/quantize.js';
import { seededRandom } from './exploration.js';
import { ModelState } from './model-state.js';
import { estimatePopulationPrior, selectPriorComponent } from './population-prior.js';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('estimatePopulationPrior', () => {
  const random = seededRandom(11);
  // Users agree on the first weight (0.6) and disagree on the second (±0.5).
  const users = Array.from({ length: 200 }, () => {
    const theta = [0.6 + 0.02 * gaussian(random), 0.5 * gaussian(random)];
    const state = ModelState.empty(2);
    for (let t = 0; t < 200; t += 1) {
      const x = randomGridFeatures(2, random);
      const mean = theta[0]! * x[0]! + theta[1]! * x[1]!;
      const reward = quantize(Math.max(-1, Math.min(1, mean + 0.3 * gaussian(random))));
      state.apply(reward, x);
    }
    return state;
  });

  it('centres on the population and is strong where users agree, weak where they differ', () => {
    const prior = estimatePopulationPrior(users, {
      maxStrength: 1000,
      minStrength: 0.01,
      maxComponents: 1,
    })!;
    expect(prior.users).toBe(200);
    const [group] = prior.components;
    expect(group!.theta0[0]).toBeCloseTo(0.6, 1);
    expect(Math.abs(group!.theta0[1]!)).toBeLessThan(0.15);
    expect(group!.precision[0]![0]!).toBeGreaterThan(20 * group!.precision[1]![1]!);
    expect(prior.noiseVariance).toBeGreaterThan(0.03);
    expect(prior.noiseVariance).toBeLessThan(0.15);
  });

  it('caps the strength, so a user’s own reactions can always outweigh it', () => {
    const prior = estimatePopulationPrior(users, { maxStrength: 30 })!;
    for (const group of prior.components) {
      expect(group.precision[0]![0]!).toBeLessThanOrEqual(30 + 1e-9);
    }
  });

  it('finds groups of taste, starts a new user in the largest and moves them to their own', () => {
    const random = seededRandom(5);
    const learner = (theta: number[], decisions: number): ModelState => {
      const state = ModelState.empty(2);
      for (let t = 0; t < decisions; t += 1) {
        const x = randomGridFeatures(2, random);
        const mean = theta[0]! * x[0]! + theta[1]! * x[1]!;
        state.apply(quantize(Math.max(-1, Math.min(1, mean + 0.3 * gaussian(random)))), x);
      }
      return state;
    };
    // 70 % like the first feature, 30 % the second.
    const population = Array.from({ length: 200 }, (_, u) =>
      learner(u % 10 < 7 ? [0.8, 0] : [0, 0.8], 150),
    );
    const prior = estimatePopulationPrior(population)!;
    expect(prior.components.length).toBeGreaterThanOrEqual(2);
    const [largest] = prior.components;
    expect(largest!.theta0[0]).toBeGreaterThan(0.6);
    expect(selectPriorComponent(prior, ModelState.empty(2))).toBe(0);
    const minority = prior.components.findIndex((group) => group.theta0[1]! > 0.6);
    expect(minority).toBeGreaterThan(0);
    expect(selectPriorComponent(prior, learner([0, 0.8], 10))).toBe(minority);
  });

  it('gives no prior from too few experienced users', () => {
    expect(estimatePopulationPrior(users.slice(0, 5))).toBeUndefined();
    expect(estimatePopulationPrior([ModelState.empty(2), ModelState.empty(2)])).toBeUndefined();
  });
});
