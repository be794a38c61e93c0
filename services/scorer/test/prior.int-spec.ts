import { quantize } from '@oo/learning';
import type { ServiceApp } from '@oo/platform';
import { expectEventually } from '@oo/testing';
import { PriorService } from '../src/prior/prior.service.js';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const vector = (overdue: number, age: number, priority: number): number[] =>
  [0, 1, overdue, age, priority].map(quantize);
const URGENT = vector(0, 0.2, 1);
const LOW = vector(0, 0.2, 0);

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
    // 25 experienced users who all reward urgent tasks and dismiss low-priority ones.
    const users = Array.from({ length: 25 }, (_, u) => `veteran-${u}`);
    await Promise.all(
      users.flatMap((userId) =>
        Array.from({ length: 12 }, () => [
          harness.publisher.publishEnvelope(
            harness.feedback(userId, { features: URGENT, reward: 1 }),
          ),
          harness.publisher.publishEnvelope(
            harness.feedback(userId, { features: LOW, reward: -1, action: 'dismiss' }),
          ),
        ]).flat(),
      ),
    );
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
    expect(before.theta).toEqual([0, 0, 0, 0, 0]);
    expect(before.prior).toBeUndefined();

    const estimated = await scorer.app.get(PriorService).estimate();
    expect(estimated.get('linucb-d5')?.users).toBe(25);

    const after = await harness.rpc.call('rpc.scorer.stats', { userId: 'newcomer' });
    expect(after.n).toBe(0);
    expect(after.prior).toMatchObject({ users: 25 });
    expect(after.A).toEqual(before.A); // the user's own statistics are untouched
    const reply = await harness.rpc.call('rpc.scorer.score', { ...newcomer, seed: 3 });
    const [low, urgent] = reply.scores;
    expect(urgent!.mean).toBeGreaterThan(low!.mean + 0.5);
    expect(reply.chosen).toBe('urgent');
  });

  it('is shared by every instance through Redis', async () => {
    const second = await harness.boot();
    expect(second.app.get(PriorService).current('linucb-d5')?.users).toBe(25);
  });
});
