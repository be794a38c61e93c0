import type { TipFeedbackV1 } from '@oo/contracts';
import { policyRegistry } from '@oo/learning';
import type { ServiceApp } from '@oo/platform';
import {
  exactSums,
  expectEventually,
  randomGridFeatures,
  readDeadLetters,
  readMetric,
  relativeError,
  solveLinearSystem,
} from '@oo/testing';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const REWARDS = [1, -1, 0, 0.5, -0.5];

async function metric(app: ServiceApp, series: string): Promise<number> {
  return readMetric(await app.app.getUrl(), series);
}

describe('learning from signals.tip.feedback', () => {
  let harness: ScorerHarness;
  let scorer: ServiceApp;

  beforeAll(async () => {
    harness = await scorerHarness('learning');
    scorer = await harness.boot();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('after 10,000 random updates, A and b are the exact sums and θ the closed-form ridge solution', async () => {
    const userId = 'u-numerics';
    const observations = Array.from({ length: 10_000 }, (_, i) => ({
      reward: REWARDS[i % REWARDS.length]!,
      features: randomGridFeatures(5),
    }));
    for (let i = 0; i < observations.length; i += 500) {
      await Promise.all(
        observations
          .slice(i, i + 500)
          .map(({ reward, features }) =>
            harness.publisher.publishEnvelope(harness.feedback(userId, { reward, features })),
          ),
      );
    }
    await expectEventually(
      async () => expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(10_000),
      { timeoutMs: 20_000 },
    );
    const stats = await harness.rpc.call('rpc.scorer.stats', { userId });
    const exact = exactSums(observations, 5);
    expect(stats.A).toEqual(exact.A);
    expect(stats.b).toEqual(exact.b);
    expect(stats.rewardSum).toBe(exact.rewardSum);
    // θ solves the ridge centred on the starting belief (no population prior here):
    // (Λ₀ + Σ x xᵀ) θ = Λ₀ θ₀ + Σ r x, where exact.A = I + Σ x xᵀ.
    const [belief] = policyRegistry.get('linucb-d5')!.basePrior!.components;
    const { precision, theta0 } = belief!;
    const a = exact.A.map((row, i) =>
      row.map((value, j) => value - (i === j ? 1 : 0) + precision[i]![j]!),
    );
    const b = exact.b.map(
      (value, i) => value + precision[i]!.reduce((sum, p, j) => sum + p * theta0[j]!, 0),
    );
    expect(relativeError(stats.theta, solveLinearSystem(a, b))).toBeLessThan(1e-9);
  });

  it('applies an event once, however often it is delivered or re-published', async () => {
    const userId = 'u-duplicates';
    const events = Array.from({ length: 20 }, () =>
      harness.feedback(userId, { features: randomGridFeatures(5), reward: 1 }),
    );
    for (const event of events) await harness.publisher.publishEnvelope(event);
    await expectEventually(async () =>
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(20),
    );
    const before = await harness.rpc.call('rpc.scorer.stats', { userId });
    const duplicatesBefore = await metric(
      scorer,
      'oo_scorer_feedback_events_total{outcome="duplicate"',
    );
    // New stream messages (another Nats-Msg-Id), same envelope id.
    const subject = (userId: string) =>
      harness.nats.topology.wire(`signals.tip.feedback.${userId}`);
    for (const copy of [1, 2]) {
      for (const event of events) {
        await harness.nats.js.publish(subject(userId), JSON.stringify(event), {
          msgID: `${event.id}-copy-${copy}`,
        });
      }
    }
    await expectEventually(async () =>
      expect(
        (await metric(scorer, 'oo_scorer_feedback_events_total{outcome="duplicate"')) -
          duplicatesBefore,
      ).toBe(40),
    );
    expect(await harness.rpc.call('rpc.scorer.stats', { userId })).toEqual(before);
  });

  it('teaches every shadow policy named in the event, in the same atomic step', async () => {
    const userId = 'u-shadow';
    const x11 = randomGridFeatures(11);
    await harness.publisher.publishEnvelope(
      harness.feedback(userId, { reward: -1, shadow: [{ policy: 'linucb-x11', features: x11 }] }),
    );
    await expectEventually(async () => {
      const shadow = await harness.rpc.call('rpc.scorer.stats', { userId, policy: 'linucb-x11' });
      expect(shadow.n).toBe(1);
      expect(shadow.b).toEqual(x11.map((value) => -value));
    });
    expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(1);
  });

  it('learns from a reaction to a random tip: the live model and each shadow, once', async () => {
    const userId = 'u-random';
    const d5 = randomGridFeatures(5);
    const x11 = randomGridFeatures(11);
    const event = harness.feedback(userId, {
      policy: 'random',
      propensity: 1 / 12,
      reward: 1,
      features: d5,
      shadow: [{ policy: 'linucb-x11', features: x11 }],
    });
    await harness.publisher.publishEnvelope(event);
    await expectEventually(async () => {
      const live = await harness.rpc.call('rpc.scorer.stats', { userId, policy: 'linucb-d5' });
      expect(live.n).toBe(1);
      expect(live.b).toEqual(d5);
      const shadow = await harness.rpc.call('rpc.scorer.stats', { userId, policy: 'linucb-x11' });
      expect(shadow.n).toBe(1);
      expect(shadow.b).toEqual(x11);
    });
    const before = await Promise.all(
      ['linucb-d5', 'linucb-x11'].map((policy) =>
        harness.rpc.call('rpc.scorer.stats', { userId, policy }),
      ),
    );
    const duplicatesBefore = await metric(
      scorer,
      'oo_scorer_feedback_events_total{outcome="duplicate"',
    );
    await harness.nats.js.publish(
      harness.nats.topology.wire(`signals.tip.feedback.${userId}`),
      JSON.stringify(event),
      { msgID: `${event.id}-again` },
    );
    await expectEventually(async () =>
      expect(
        (await metric(scorer, 'oo_scorer_feedback_events_total{outcome="duplicate"')) -
          duplicatesBefore,
      ).toBe(1),
    );
    const after = await Promise.all(
      ['linucb-d5', 'linucb-x11'].map((policy) =>
        harness.rpc.call('rpc.scorer.stats', { userId, policy }),
      ),
    );
    expect(after).toEqual(before);
    // random is no model of its own: nothing is stored under its name.
    expect((await harness.keysOf(userId)).filter((key) => key.endsWith(':random'))).toEqual([]);
  });

  it('learns from the rewards oO infers: an expiry teaches 0, a completion seen by webhook or reconcile +1', async () => {
    const userId = 'u-inferred';
    const inferred: Array<Pick<TipFeedbackV1, 'action' | 'reward' | 'source'>> = [
      { action: 'expired', reward: 0, source: 'expiry' },
      { action: 'done', reward: 1, source: 'webhook' },
      { action: 'done', reward: 1, source: 'reconcile' },
    ];
    const observations = inferred.map((reaction) => ({
      ...reaction,
      features: randomGridFeatures(5),
    }));
    for (const observation of observations) {
      await harness.publisher.publishEnvelope(harness.feedback(userId, observation));
    }
    await expectEventually(async () =>
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(3),
    );
    const stats = await harness.rpc.call('rpc.scorer.stats', { userId });
    expect(stats.rewardSum).toBe(2);
    expect(stats.b).toEqual(exactSums(observations, 5).b);
  });

  it('dead-letters events it cannot learn from, with the reason, and keeps going', async () => {
    const userId = 'u-malformed';
    const bad = [
      harness.feedback(userId, { features: [0.5, 0.5] }),
      harness.feedback(userId, { policy: 'linucb-d99' }),
      harness.feedback(userId, { features: [0, 0, 0, 7, 0] }),
      harness.feedback(userId, { shadow: [{ policy: 'linucb-x11', features: [1, 0] }] }),
    ];
    for (const event of bad) await harness.publisher.publishEnvelope(event);
    const subject = harness.nats.topology.wire(`signals.tip.feedback.${userId}`);
    await harness.nats.js.publish(subject, '{"id": "not-an-envelope"', { msgID: 'broken-json' });
    const outOfSchema = { ...harness.feedback(userId), data: { reward: 5 } };
    await harness.nats.js.publish(subject, JSON.stringify(outOfSchema), { msgID: 'out-of-schema' });
    await harness.publisher.publishEnvelope(harness.feedback(userId));

    await expectEventually(async () =>
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(1),
    );
    await expectEventually(async () => {
      // In the order they were published: handlers run side by side, so they are not written
      // to DEADLETTER in that order (a CI run saw two swapped).
      const letters = (await readDeadLetters(harness.nats))
        .filter((letter) => letter.originalSubject.endsWith(userId))
        .sort((a, b) => a.originalSequence - b.originalSequence);
      expect(letters.map((letter) => letter.reason)).toEqual([
        expect.stringMatching(/data\.features has 2 values; linucb-d5 takes 5/),
        expect.stringMatching(/data\.policy 'linucb-d99' is not a known policy/),
        expect.stringMatching(/data\.features\[3\] \(task_age\) must be a finite number within/),
        expect.stringMatching(/data\.shadow\[0\]\.features has 2 values; linucb-x11 takes 11/),
        expect.stringMatching(/JSON/i),
        expect.stringMatching(/data/),
      ]);
      expect(new Set(letters.map((letter) => letter.subject))).toEqual(
        new Set([`deadletter.scorer.signals.tip.feedback.${userId}`]),
      );
    });
  });

  it('after signals.user.deleted, no key of the user remains, and late feedback cannot bring one back', async () => {
    const userId = 'u-deleted';
    await harness.publisher.publishEnvelope(
      harness.feedback(userId, {
        shadow: [{ policy: 'linucb-x11', features: randomGridFeatures(11) }],
      }),
    );
    await expectEventually(async () =>
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(1),
    );
    expect((await harness.keysOf(userId)).length).toBe(4); // two models, policy index, applied ids

    await harness.publisher.publish('user.deleted', userId, {
      requestedAt: new Date().toISOString(),
    });
    await expectEventually(async () => expect(await harness.keysOf(userId)).toEqual([]));
    // …and confirms it to the deletion saga.
    await expectEventually(async () => {
      const subject = harness.nats.topology.wire(`signals.user.purged.${userId}`);
      const info = await harness.nats.jsm.streams.info(harness.nats.topology.signalsStream, {
        subjects_filter: subject,
      });
      expect(info.state.subjects).toEqual({ [subject]: 1 });
    });

    const erasedBefore = await metric(scorer, 'oo_scorer_feedback_events_total{outcome="erased"');
    await harness.publisher.publishEnvelope(harness.feedback(userId));
    await expectEventually(async () =>
      expect(await metric(scorer, 'oo_scorer_feedback_events_total{outcome="erased"')).toBe(
        erasedBefore + 1,
      ),
    );
    expect(await harness.keysOf(userId)).toEqual([]);
    // The erasure record names no user: it holds a digest.
    const erased = await harness.redis.zrange('oo:scorer:erased', '0', '-1');
    expect(erased.some((member) => member.includes(userId))).toBe(false);
  });

  it('reports what it learned on /metrics', async () => {
    expect(await metric(scorer, 'oo_scorer_updates_total{policy="linucb-d5"')).toBeGreaterThan(
      10_000,
    );
    expect(
      await metric(scorer, 'oo_scorer_updates_total{policy="linucb-x11"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric(
        scorer,
        'oo_dead_letters_total{consumer="scorer__tip_feedback",reason="rejected"',
      ),
    ).toBeGreaterThanOrEqual(4);
  });
});
