import { policyRegistry } from '../policy-registry.js';
import { DEFAULT_EXPLORATION, explorationFor } from './exploration-rule.js';

describe('explorationFor', () => {
  const prior = policyRegistry.get('linucb-x11')!.basePrior!;

  it('decides like textbook LinUCB while the population has no prior: α, no uniform picks', () => {
    expect(explorationFor(DEFAULT_EXPLORATION, undefined)).toEqual({ alpha: 1, epsilon: 0 });
  });

  it('narrows the bonus and explores uniformly once the population has a prior', () => {
    expect(explorationFor(DEFAULT_EXPLORATION, prior)).toEqual({ alpha: 0.5, epsilon: 0.01 });
    expect(
      explorationFor(
        { alpha: 2, epsilon: 0.3, alphaWithPrior: 1, epsilonWithPrior: 0.1 },
        undefined,
      ),
    ).toEqual({ alpha: 2, epsilon: 0.3 });
  });
});
