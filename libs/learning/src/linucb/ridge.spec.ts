import { solveLinearSystem } from '@oo/testing';
import { ModelState } from './model-state.js';
import { chooseCandidate, greedyIndex, seededRandom } from './exploration.js';
import { scoreCandidates, solvePosterior } from './ridge.js';

function inverseQuadratic(a: number[][], x: number[]): number {
  const solved = solveLinearSystem(a, x);
  return x.reduce((sum, value, i) => sum + value * solved[i]!, 0);
}

describe('scoring', () => {
  const state = ModelState.empty(2);
  state.apply(1, [1, 0]);
  state.apply(1, [1, 0]);
  state.apply(-1, [0, 1]);

  it('gives mean θᵀx and bonus α·sqrt(xᵀA⁻¹x) for every candidate', () => {
    const posterior = solvePosterior(state);
    const candidates = [
      { id: 'a', features: [1, 0] },
      { id: 'b', features: [0, 1] },
      { id: 'c', features: [0.5, 0.5] },
    ];
    const scores = scoreCandidates(posterior, candidates, 2);
    const A = state.A();
    const theta = solveLinearSystem(A, state.b());
    expect(theta[0]).toBeCloseTo(2 / 3, 12);
    candidates.forEach(({ features }, k) => {
      const mean = theta[0]! * features[0]! + theta[1]! * features[1]!;
      expect(scores[k]!.mean).toBeCloseTo(mean, 12);
      expect(scores[k]!.bonus).toBeCloseTo(2 * Math.sqrt(inverseQuadratic(A, features)), 12);
      expect(scores[k]!.ucb).toBe(scores[k]!.mean + scores[k]!.bonus);
    });
  });

  it('centres a new user on the population prior', () => {
    const prior = {
      components: [
        {
          weight: 1,
          users: 50,
          theta0: [0.8, -0.4],
          precision: [
            [10, 0],
            [0, 10],
          ],
        },
      ],
      users: 50,
      noiseVariance: 0.5,
      computedAt: new Date().toISOString(),
    };
    const fresh = solvePosterior(ModelState.empty(2), prior);
    expect(fresh.theta[0]).toBeCloseTo(0.8, 12);
    expect(fresh.theta[1]).toBeCloseTo(-0.4, 12);
  });
});

describe('choosing', () => {
  const scores = [
    { id: 'b', mean: 0, bonus: 1, ucb: 1 },
    { id: 'a', mean: 0.5, bonus: 0.5, ucb: 1 },
    { id: 'c', mean: 0, bonus: 0.2, ucb: 0.2 },
  ];

  it('breaks ties by the smallest id, whatever the order of candidates', () => {
    expect(scores[greedyIndex(scores)]!.id).toBe('a');
    expect([...scores].reverse()[greedyIndex([...scores].reverse())]!.id).toBe('a');
  });

  it('logs the propensity of the pick: 1 − ε + ε/K for the argmax, ε/K otherwise', () => {
    const exploit = chooseCandidate(scores, 0.3, () => 0.9);
    expect(exploit).toEqual({ index: 1, propensity: 0.7 + 0.1, explored: false });
    const draws = [0.1, 0.99];
    const explore = chooseCandidate(scores, 0.3, () => draws.shift()!);
    expect(explore.index).toBe(2);
    expect(explore.explored).toBe(true);
    expect(explore.propensity).toBeCloseTo(0.1, 15);
  });

  it('explores about ε of the time, and a seed replays the same decisions', () => {
    const random = seededRandom(42);
    const picks = Array.from({ length: 20_000 }, () => chooseCandidate(scores, 0.05, random));
    const explored = picks.filter((pick) => pick.explored).length / picks.length;
    expect(explored).toBeGreaterThan(0.04);
    expect(explored).toBeLessThan(0.06);
    const replay = seededRandom(42);
    expect(Array.from({ length: 20_000 }, () => chooseCandidate(scores, 0.05, replay))).toEqual(
      picks,
    );
  });
});
