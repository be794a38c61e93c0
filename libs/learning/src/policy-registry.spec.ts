import type { BaseFeatures } from './features/feature-sets.js';
import { taskFeatures } from './features/task-features.js';
import { greedyIndex, seededRandom } from './linucb/exploration.js';
import { ModelState } from './linucb/model-state.js';
import { scoreCandidates, solvePosterior } from './linucb/ridge.js';
import { policyRegistry, RANDOM_POLICY, STARTING_STRENGTH } from './policy-registry.js';

describe('policyRegistry', () => {
  it('maps feedback on a random decision to the live model, and knows random is no model', () => {
    expect(policyRegistry.learnerOf(RANDOM_POLICY)).toBe(policyRegistry.live());
    expect(policyRegistry.isModelFree(RANDOM_POLICY)).toBe(true);
    expect(policyRegistry.get(RANDOM_POLICY)).toBeUndefined();
    expect(policyRegistry.names()).not.toContain(RANDOM_POLICY);
  });

  it('maps every model policy to itself and an unknown name to nothing', () => {
    for (const policy of policyRegistry.all()) {
      expect(policyRegistry.learnerOf(policy.name)).toBe(policy);
      expect(policyRegistry.isModelFree(policy.name)).toBe(false);
    }
    expect(policyRegistry.learnerOf('linucb-d99')).toBeUndefined();
  });
});

describe('x11 before its population has a prior', () => {
  const x11 = policyRegistry.get('linucb-x11')!;
  const d5 = policyRegistry.get('linucb-d5')!;
  const random = seededRandom(8);
  const moment = { now: new Date('2026-03-02T08:30:00Z'), timeZone: 'UTC' };
  const tasks = (): BaseFeatures[] =>
    Array.from({ length: 8 }, (_, k) =>
      taskFeatures(
        {
          priority: 1 + Math.floor(random() * 4),
          due: random() < 0.3 ? '2026-02-20' : null,
          addedAt: new Date(moment.now.getTime() - random() * 60 * 86_400_000).toISOString(),
        },
        { ...moment, now: new Date(moment.now.getTime() + k * 3_600_000) },
      ),
    );

  it('starts from the heuristic’s belief, weakly, and from the population’s prior once there is one', () => {
    for (const policy of [d5, x11]) {
      const [belief] = policyRegistry.startingPrior(policy, undefined)!.components;
      const at = (column: string) => policy.featureSet.columns.indexOf(column);
      expect(belief!.theta0[at('priority')]).toBeGreaterThan(belief!.theta0[at('is_overdue')]!);
      expect(belief!.theta0[at('is_overdue')]).toBeGreaterThan(0);
      expect(belief!.precision[at('priority')]![at('priority')]).toBe(STARTING_STRENGTH);
    }
    const population = { ...d5.basePrior!, users: 40 };
    expect(policyRegistry.startingPrior(d5, population)).toBe(population);
  });

  it('with no reactions yet, shows the most urgent task (priority, then overdue)', () => {
    const options = tasks();
    const chosen = greedyIndex(
      scoreCandidates(
        solvePosterior(ModelState.empty(11), policyRegistry.startingPrior(x11, undefined)),
        options.map((base, k) => ({ id: `t${k}`, features: x11.featureSet.vector(base) })),
        0,
      ),
    );
    const top = Math.max(...options.map((base) => base.priority));
    expect(options[chosen]!.priority).toBe(top);
  });

  it('ranks a user’s tasks as d5 does, reaction after reaction', () => {
    const states = { d5: ModelState.empty(5), x11: ModelState.empty(11) };
    let agreed = 0;
    for (let t = 0; t < 60; t += 1) {
      const options = tasks();
      const rank = (policy: typeof d5, state: ModelState) =>
        greedyIndex(
          scoreCandidates(
            solvePosterior(state, policyRegistry.startingPrior(policy, undefined)),
            options.map((base, k) => ({ id: `t${k}`, features: policy.featureSet.vector(base) })),
            1,
          ),
        );
      const chosen = rank(d5, states.d5);
      if (rank(x11, states.x11) === chosen) agreed += 1;
      const reward = options[chosen]!.priority > 0.5 ? 1 : -1;
      states.d5.apply(reward, d5.featureSet.vector(options[chosen]!));
      states.x11.apply(reward, x11.featureSet.vector(options[chosen]!));
    }
    expect(agreed).toBeGreaterThanOrEqual(58);
  });
});
