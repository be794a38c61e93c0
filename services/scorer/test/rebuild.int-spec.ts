import type { StatsResponse } from '@oo/contracts';
import { policyRegistry } from '@oo/learning';
import type { ServiceApp } from '@oo/platform';
import { expectEventually, randomGridFeatures, startTsProcess } from '@oo/testing';
import { pino } from 'pino';
import { StateRebuilder, type RebuildReport } from '../src/rebuild/state-rebuilder.js';
import { ModelRepository } from '../src/store/model.repository.js';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const USERS = ['u-a', 'u-b', 'u-c', 'u-d'];
const REWARDS = [1, -1, 0, 0.5, -0.5];

describe('rebuilding scorer state from SIGNALS', () => {
  let harness: ScorerHarness;
  let scorer: ServiceApp;

  beforeAll(async () => {
    harness = await scorerHarness('rebuild');
    scorer = await harness.boot();
    let i = 0;
    for (const userId of USERS) {
      for (let k = 0; k < 300; k += 1, i += 1) {
        const event = harness.feedback(userId, {
          // Every third tip was decided at random: the live model learns from it all the same.
          ...(k % 3 === 0 ? { policy: 'random', propensity: 1 / 7 } : {}),
          reward: REWARDS[i % REWARDS.length]!,
          features: randomGridFeatures(5),
          shadow: k % 2 ? [{ policy: 'linucb-x11', features: randomGridFeatures(11) }] : [],
        });
        await harness.publisher.publishEnvelope(event);
        // Some events reach the stream twice (another message id): learned once, live and replayed.
        if (k % 50 === 0) {
          await harness.nats.js.publish(
            harness.nats.topology.wire(`signals.tip.feedback.${userId}`),
            JSON.stringify(event),
            { msgID: `${event.id}/again` },
          );
        }
      }
    }
    await harness.publisher.publishEnvelope(harness.feedback('u-a', { features: [0.1] }));
    await expectEventually(
      async () => {
        for (const userId of USERS) {
          expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(300);
        }
      },
      { timeoutMs: 20_000 },
    );
  });

  afterAll(async () => {
    await harness.close();
  });

  async function allStats(): Promise<StatsResponse[]> {
    const stats: StatsResponse[] = [];
    for (const userId of USERS) {
      for (const policy of policyRegistry.names()) {
        stats.push(await harness.rpc.call('rpc.scorer.stats', { userId, policy }));
      }
    }
    return stats;
  }

  function rebuilder(): StateRebuilder {
    return new StateRebuilder(
      harness.nats.js,
      harness.nats.jsm,
      harness.nats.topology,
      new ModelRepository(harness.redis),
      pino({ level: 'silent' }),
    );
  }

  it('reproduces the live state exactly and says so', async () => {
    const report = await rebuilder().run();
    expect(report).toMatchObject({
      learned: 1200,
      duplicates: 24,
      invalid: 1,
      users: 4,
      models: 8,
      compared: { equal: 8, differs: 0, 'only-live': 0, 'only-rebuilt': 0 },
      maxRelativeDifference: 0,
      swapped: 0,
    });
  });

  it('after Redis is wiped, the rebuild command brings back every model from the stream alone', async () => {
    const before = await allStats();
    await scorer.stop();
    const keys = await harness.keysOf('');
    await harness.redis.del(
      ...keys.map((key) => key.slice(harness.nats.topology.namespace.length + 1)),
    );
    expect((await harness.keysOf('')).length).toBe(0);
    scorer = await harness.boot();
    expect((await harness.rpc.call('rpc.scorer.stats', { userId: 'u-a' })).n).toBe(0);

    const command = startTsProcess('services/scorer/src/rebuild/rebuild.cli.ts', harness.env, {
      args: ['--swap', '--json'],
    });
    expect(await command.exited).toBe(0);
    const report = JSON.parse(command.output().trim().split('\n').at(-1)!) as RebuildReport;
    expect(report.compared['only-rebuilt']).toBe(8);
    expect(report.swapped).toBe(4);
    expect(await allStats()).toEqual(before);
  }, 30_000);

  it('never brings back a user who was erased', async () => {
    await harness.publisher.publish('user.deleted', 'u-d', {
      requestedAt: new Date().toISOString(),
    });
    await expectEventually(async () => expect(await harness.keysOf('u-d')).toEqual([]));
    const report = await rebuilder().run({ swap: true });
    expect(report.erasedUsers).toBe(1);
    expect(report.users).toBe(3);
    expect(await harness.keysOf('u-d')).toEqual([]);
  });

  it('rebuilds one user on request and leaves the others alone', async () => {
    const report = await rebuilder().run({ users: ['u-b'], swap: true });
    expect(report).toMatchObject({ learned: 300, users: 1, swapped: 1 });
    expect(report.compared).toMatchObject({ equal: 2, differs: 0 });
  });
});
