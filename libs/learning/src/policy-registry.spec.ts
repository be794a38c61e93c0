import { policyRegistry, RANDOM_POLICY } from './policy-registry.js';

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
