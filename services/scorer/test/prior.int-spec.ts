import { policyRegistry, quantize } from '@oo/learning';
import type { ServiceApp } from '@oo/platform';
import { expectEventually } from '@oo/testing';
import { PriorService } from '../src/prior/prior.service.js';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const vector = (overdue: number, age: number, priority: number): number[] =>
  [0, 1, overdue, age, priority].map(quantize);
const URGENT = vector(0, 0.2, 1);
const LOW = vector(0, 0.2, 0);

/** Each user completes `liked` and dismisses `disliked`, `rounds` times (2 reactions each). */
async function rewardOver(
  harness: ScorerHarness,
  users: readonly string[],
  rounds: number,
  liked: number[],
  disliked: number[],
): Promise<void> {
  await Promise.all(
    users.flatMap((userId) =>
      Array.from({ length: rounds }, () => [
        harness.publisher.publishEnvelope(harness.feedback(userId, { features: liked, reward: 1 })),
        harness.publisher.publishEnvelope(
          harness.feedback(userId, { features: disliked, reward: -1, action: 'dismiss' }),
        ),
      ]).flat(),
    ),
  );
}

describe('the population prior: a new user starts where people like them ended up', () => {
  let harness: ScorerHarness;
  let scorer: ServiceApp;

  beforeAll(async () => {
    harness = await scorerHarness('prior');
    scorer = await harness.boot();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('is estimated from users’ models, then steers a brand-new user’s first decision', async () => {
    // 25 experienced users who, unlike the heuristic oO starts from, prefer low-priority tasks.
    const users = Array.from({ length: 25 }, (_, u) => `veteran-${u}`);
    await rewardOver(harness, users, 12, LOW, URGENT);
    await expectEventually(
      async () => {
        for (const userId of users) {
          expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(24);
        }
      },
      { timeoutMs: 15_000 },
    );

    const newcomer = {
      userId: 'newcomer',
      candidates: [
        { id: 'low', features: LOW },
        { id: 'urgent', features: URGENT },
      ],
    };
    const before = await harness.rpc.call('rpc.scorer.stats', { userId: 'newcomer' });
    // No population prior yet: the starting belief (priority first, then overdue).
    const belief = policyRegistry.get('linucb-d5')!.basePrior!.components[0]!.theta0;
    before.theta.forEach((value, i) => expect(value).toBeCloseTo(belief[i]!, 12));
    expect(before.prior).toBeUndefined();
    const first = await harness.rpc.call('rpc.scorer.score', { ...newcomer, seed: 3 });
    expect(first.chosen).toBe('urgent');
    expect(first.epsilon).toBe(0); // no uniform picks before the population has a prior

    const estimated = await scorer.app.get(PriorService).estimate();
    expect(estimated.get('linucb-d5')?.users).toBe(25);

    const after = await harness.rpc.call('rpc.scorer.stats', { userId: 'newcomer' });
    expect(after.n).toBe(0);
    expect(after.prior).toMatchObject({ users: 25 });
    expect(after.A).toEqual(before.A); // the user's own statistics are untouched
    const reply = await harness.rpc.call('rpc.scorer.score', { ...newcomer, seed: 3 });
    const [low, urgent] = reply.scores;
    expect(low!.mean).toBeGreaterThan(urgent!.mean + 0.5);
    expect(reply.chosen).toBe('low');
    expect(reply.epsilon).toBe(0.01);
  });

  it('is shared by every instance through Redis', async () => {
    const second = await harness.boot();
    expect(second.app.get(PriorService).current('linucb-d5')?.users).toBe(25);
  });
});

describe('the population prior of a new deployment', () => {
  let harness: ScorerHarness;

  beforeAll(async () => {
    harness = await scorerHarness('prior_schedule');
    // Checks every second here (10 s in production): the test waits seconds, not a minute.
    await harness.boot({ SCORER_PRIOR_CHECK_SECONDS: '1' });
  });

  afterAll(async () => {
    await harness.close();
  });

  const priorUsers = async () =>
    (await harness.rpc.call('rpc.scorer.stats', { userId: 'someone-new' })).prior?.users;

  it('exists within a minute of the first users’ reactions, with nobody asking for it', async () => {
    // Enough users with enough reactions each for a prior (20 users × 20 reactions at least).
    const users = Array.from({ length: 22 }, (_, u) => `first-${u}`);
    await rewardOver(harness, users, 12, URGENT, LOW);
    // Within the minute: the check runs every second here, an estimate at most every three.
    await expectEventually(async () => expect(await priorUsers()).toBe(22), {
      timeoutMs: 60_000,
    });
  }, 90_000);

  it('leaves a deleted user out at the next estimate, and rpc.scorer.refresh_prior says so', async () => {
    await harness.publisher.publish('user.deleted', 'first-0', {
      requestedAt: new Date().toISOString(),
    });
    await expectEventually(async () => expect(await priorUsers()).toBe(21), {
      timeoutMs: 30_000,
    });

    await harness.publisher.publish('user.deleted', 'first-1', {
      requestedAt: new Date().toISOString(),
    });
    await expectEventually(async () =>
      expect((await harness.rpc.call('rpc.scorer.stats', { userId: 'first-1' })).n).toBe(0),
    );
    const refreshed = await harness.rpc.call('rpc.scorer.refresh_prior', {});
    expect(refreshed).toMatchObject({ users: 20, computedAt: expect.any(String) as string });
    expect(refreshed.groups).toBeGreaterThanOrEqual(1);
    expect(refreshed.policies.map(({ policy }) => policy)).toContain('linucb-d5');
    expect(await priorUsers()).toBe(20);
  }, 60_000);
});
