import { chooseCandidate, policyRegistry, seededRandom } from '@oo/learning';
import { evaluatePolicies } from './policy-evaluation.js';
import {
  evaluablePolicies,
  isEvaluable,
  targetProbability,
  type LoggedDecision,
} from './target-probability.js';

const LIVE = policyRegistry.live().name;
const SHADOW = policyRegistry.shadows()[0]!.name;
const EPSILON = 0.1;

function decision(overrides: Partial<LoggedDecision> = {}): LoggedDecision {
  return {
    tipId: 'tip-1',
    policy: LIVE,
    taskId: 'b',
    propensity: 1 - EPSILON + EPSILON / 3,
    candidateCount: 3,
    reward: 1,
    open: false,
    ucbs: new Map([
      [
        LIVE,
        [
          { taskId: 'a', ucb: 0.2 },
          { taskId: 'b', ucb: 0.9 },
          { taskId: 'c', ucb: 0.5 },
        ],
      ],
      [
        SHADOW,
        [
          { taskId: 'a', ucb: 0.7 },
          { taskId: 'b', ucb: 0.1 },
          { taskId: 'c', ucb: 0.7 },
        ],
      ],
    ]),
    ...overrides,
  };
}

describe('targetProbability', () => {
  it('random picks any of the n candidates alike', () => {
    expect(targetProbability(decision(), 'random', EPSILON)).toBe(1 / 3);
    expect(targetProbability(decision({ ucbs: new Map() }), 'random', EPSILON)).toBe(1 / 3);
  });

  it('a model gives its UCB argmax 1 − ε + ε/n and every other candidate ε/n', () => {
    expect(targetProbability(decision(), LIVE, EPSILON)).toBeCloseTo(1 - EPSILON + EPSILON / 3);
    expect(targetProbability(decision(), SHADOW, EPSILON)).toBeCloseTo(EPSILON / 3);
  });

  it('uses the ε the decision logged, and the default only for decisions without one', () => {
    const logged = decision({ epsilon: 0.3 });
    expect(targetProbability(logged, LIVE, EPSILON)).toBeCloseTo(1 - 0.3 + 0.3 / 3, 12);
    expect(targetProbability(logged, SHADOW, EPSILON)).toBeCloseTo(0.3 / 3, 12);
    expect(targetProbability(decision({ epsilon: null }), SHADOW, EPSILON)).toBeCloseTo(
      EPSILON / 3,
      12,
    );
  });

  it('breaks equal UCBs towards the smallest task id, like the scorer', () => {
    expect(targetProbability(decision({ taskId: 'a' }), SHADOW, EPSILON)).toBeCloseTo(
      1 - EPSILON + EPSILON / 3,
    );
    expect(targetProbability(decision({ taskId: 'c' }), SHADOW, EPSILON)).toBeCloseTo(EPSILON / 3);
  });

  it('equals the propensity chooseCandidate logs for the same scores (on-policy weight 1)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i += 1) {
      const scores = ['t1', 't2', 't3', 't4'].map((id) => {
        const ucb = Math.round(random() * 4) / 4; // coarse, so ties happen
        return { id, mean: ucb, bonus: 0, ucb };
      });
      const choice = chooseCandidate(scores, EPSILON, random);
      const logged = decision({
        taskId: scores[choice.index]!.id,
        propensity: choice.propensity,
        candidateCount: 4,
        ucbs: new Map([[LIVE, scores.map(({ id, ucb }) => ({ taskId: id, ucb }))]]),
      });
      expect(targetProbability(logged, LIVE, EPSILON)).toBe(choice.propensity);
    }
  });

  it("is unknown without the target's scores, or when they miss the chosen task", () => {
    expect(targetProbability(decision({ ucbs: new Map() }), LIVE, EPSILON)).toBeUndefined();
    expect(targetProbability(decision({ taskId: 'zz' }), SHADOW, EPSILON)).toBeUndefined();
  });

  it('knows every registered model and random, and nothing else', () => {
    expect(evaluablePolicies()).toEqual([...policyRegistry.names(), 'random']);
    expect(isEvaluable(SHADOW)).toBe(true);
    expect(isEvaluable('random')).toBe(true);
    expect(isEvaluable('linucb-d99')).toBe(false);
  });
});

describe('evaluatePolicies', () => {
  it('judges only the deciding policy by decisions made without exploration (ε 0)', async () => {
    const unexplored = decision({ tipId: 'no-exploration', epsilon: 0, propensity: 1 });
    const [live, shadow, random] = await evaluatePolicies(
      [unexplored],
      [LIVE, SHADOW, 'random'],
      EPSILON,
    );
    expect(live).toMatchObject({ decisions: 1, skipped: 0 });
    expect(live!.ips.estimate).toBe(1);
    // Every other task had probability 0: nothing can be said about the others from it.
    expect(shadow).toMatchObject({ decisions: 0, skipped: 1 });
    expect(random).toMatchObject({ decisions: 0, skipped: 1 });
  });

  it('counts open decisions as pending, ended ones without a reward apart, unscored ones as skipped', async () => {
    const log = [
      decision({ tipId: 'scored-done', reward: 1 }),
      decision({ tipId: 'scored-dismissed', taskId: 'a', propensity: EPSILON / 3, reward: -1 }),
      decision({ tipId: 'open', reward: null, open: true }),
      decision({ tipId: 'task-gone', reward: null }),
      decision({
        tipId: 'fallback',
        policy: 'random',
        propensity: 1 / 3,
        reward: 0,
        ucbs: new Map(),
      }),
    ];

    const [live, shadow, random] = await evaluatePolicies(log, [LIVE, SHADOW, 'random'], EPSILON);

    expect(live).toMatchObject({
      policy: LIVE,
      decisions: 2,
      skipped: 1,
      pending: 1,
      noOutcome: 1,
      onPolicy: { decisions: 2, meanReward: 0 },
    });
    // On its own decisions the live policy's weights are 1: IPS is its plain mean.
    expect(live!.ips.estimate).toBeCloseTo(0, 12);
    expect(live!.effectiveSampleSize).toBeCloseTo(2, 12);
    expect(shadow).toMatchObject({ decisions: 2, skipped: 1, pending: 1, noOutcome: 1 });
    expect(shadow!.onPolicy).toEqual({ decisions: 0, meanReward: null });
    // The shadow would have picked `a` (tie with `c`, smallest id): w = (1 − ε + ε/3)/(ε/3).
    const w = (1 - EPSILON + EPSILON / 3) / (EPSILON / 3);
    const wDone = EPSILON / 3 / (1 - EPSILON + EPSILON / 3);
    expect(shadow!.ips.estimate).toBeCloseTo((wDone * 1 + w * -1) / 2, 9);
    expect(shadow!.snips.estimate).toBeCloseTo((wDone - w) / (wDone + w), 9);
    expect(random).toMatchObject({
      decisions: 3,
      skipped: 0,
      pending: 1,
      noOutcome: 1,
      onPolicy: { decisions: 1, meanReward: 0 },
    });
  });
});
