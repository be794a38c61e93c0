import { seededRandom } from './exploration.js';
import { drain, fitTasteMixture, type NoisyTaste } from './taste-mixture.js';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A user whose estimate of a 2-d taste has independent noise of the given sd per weight. */
function noisy(taste: number[], noiseSd: number[], random: () => number): NoisyTaste {
  return {
    estimate: Float64Array.from(taste, (value, i) => value + noiseSd[i]! * gaussian(random)),
    noise: Float64Array.from([noiseSd[0]! ** 2, 0, 0, noiseSd[1]! ** 2]),
  };
}

describe('fitTasteMixture (deconvolution)', () => {
  it('recovers the true spread of tastes, not the spread of noisy estimates', () => {
    const random = seededRandom(21);
    // True tastes: N((0.5, −0.2), diag(0.1², 0.05²)); each user's estimate is far noisier, and
    // some users are much noisier than others (few reactions).
    const users = Array.from({ length: 3000 }, (_, u) =>
      noisy(
        [0.5 + 0.1 * gaussian(random), -0.2 + 0.05 * gaussian(random)],
        u % 3 === 0 ? [0.6, 0.6] : [0.2, 0.2],
        random,
      ),
    );
    const [group] = drain(fitTasteMixture(users, [users.map((_, i) => i)])).groups;
    expect(group!.mean[0]).toBeCloseTo(0.5, 1);
    expect(group!.mean[1]).toBeCloseTo(-0.2, 1);
    expect(Math.sqrt(group!.covariance[0]!)).toBeGreaterThan(0.07);
    expect(Math.sqrt(group!.covariance[0]!)).toBeLessThan(0.13);
    expect(Math.sqrt(group!.covariance[3]!)).toBeLessThan(0.09);
    // The plain spread of the estimates is several times wider.
    const spread = Math.sqrt(
      users.reduce((sum, user) => sum + (user.estimate[0]! - 0.5) ** 2, 0) / users.length,
    );
    expect(spread).toBeGreaterThan(3 * Math.sqrt(group!.covariance[0]!));
  });

  it('finds a narrow spread under noise five times wider (sparse reactions)', () => {
    const random = seededRandom(23);
    // True sd 0.1 per weight; every estimate has noise sd 0.5. Started from the estimates'
    // spread, EM used to stop with sd ≈ 0.17 and a prior far too weak.
    const users = Array.from({ length: 3000 }, () =>
      noisy([0.1 * gaussian(random), 0.1 * gaussian(random)], [0.5, 0.5], random),
    );
    const [group] = drain(fitTasteMixture(users, [users.map((_, i) => i)])).groups;
    for (const at of [0, 3]) {
      expect(Math.sqrt(group!.covariance[at]!)).toBeGreaterThan(0.02);
      expect(Math.sqrt(group!.covariance[at]!)).toBeLessThan(0.14);
    }
  });

  it('separates two groups that noise blurs into one cloud, with their shares', () => {
    const random = seededRandom(22);
    const users = Array.from({ length: 1200 }, (_, u) =>
      noisy(u % 4 === 0 ? [0.4, 0] : [0, 0.4], [0.2, 0.2], random),
    );
    const one = drain(fitTasteMixture(users, [users.map((_, i) => i)]));
    const two = drain(
      fitTasteMixture(users, [
        users.flatMap((user, i) => (user.estimate[0]! > user.estimate[1]! ? [i] : [])),
        users.flatMap((user, i) => (user.estimate[0]! > user.estimate[1]! ? [] : [i])),
      ]),
    );
    expect(two.bic).toBeLessThan(one.bic);
    const [small, large] = [...two.groups].sort((a, b) => a.weight - b.weight);
    expect(small!.weight).toBeCloseTo(0.25, 1);
    expect(small!.mean[0]).toBeCloseTo(0.4, 1);
    expect(large!.mean[1]).toBeCloseTo(0.4, 1);
  });
});
