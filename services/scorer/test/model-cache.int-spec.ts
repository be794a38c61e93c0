import { RPC } from '@oo/contracts';
import { quantize } from '@oo/learning';
import type { ServiceApp } from '@oo/platform';
import { expectEventually } from '@oo/testing';
import { LearningService } from '../src/learning/learning.service.js';
import { ScoringService } from '../src/scoring/scoring.service.js';
import { ScorerKeys } from '../src/store/scorer-keys.js';
import { TrackedModelReads } from '../src/store/tracked-model-reads.js';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const features = [0.5, 0.866, 1, 0.25, 1].map(quantize);
const candidates = Array.from({ length: 20 }, (_, k) => ({
  id: `task-${k}`,
  features: [0.5, 0.866, k % 2, k / 20, (k % 4) / 3].map(quantize),
}));
const liveModelKey = (userId: string): string => new ScorerKeys().model(userId, 'linucb-d5');
/**
 * Well under the cache's 10 s maximum age: only an invalidation can make these pass, not a
 * model that is read again because it got old.
 */
const invalidated = { timeoutMs: 5_000 };

describe('two scorer instances scoring from memory, kept right by Redis invalidations', () => {
  let harness: ScorerHarness;
  let first: ServiceApp;
  let second: ServiceApp;
  const reads = (instance: ServiceApp) => instance.app.get(TrackedModelReads);
  /** What this very instance answers (an RPC goes to whichever instance the queue group picks). */
  const scoreOn = async (instance: ServiceApp, userId: string) =>
    instance.app.get(ScoringService).score({ userId, candidates, seed: 1 });
  /** The instance's feedback path: what its JetStream consumer runs for a tip.feedback event. */
  const learnOn = (instance: ServiceApp, userId: string) =>
    instance.app.get(LearningService).learn(harness.feedback(userId, { features }));

  beforeAll(async () => {
    harness = await scorerHarness('model_cache');
    first = await harness.boot();
    second = await harness.boot();
    await expectEventually(() => {
      expect(reads(first).caching).toBe(true);
      expect(reads(second).caching).toBe(true);
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  it("answers from memory until the other instance's feedback changes the model, then with the new one", async () => {
    const userId = 'u-other-learns';
    expect((await scoreOn(first, userId)).n).toBe(0);
    // No model yet is remembered too: Redis tracks a key it was asked for before it exists.
    expect(reads(first).isCached(liveModelKey(userId))).toBe(true);
    expect((await scoreOn(first, userId)).n).toBe(0);

    expect(await learnOn(second, userId)).toBe('applied');
    await expectEventually(
      async () => expect((await scoreOn(first, userId)).n).toBe(1),
      invalidated,
    );
    expect(reads(first).isCached(liveModelKey(userId))).toBe(true);

    await learnOn(second, userId);
    await learnOn(second, userId);
    await expectEventually(
      async () => expect((await scoreOn(first, userId)).n).toBe(3),
      invalidated,
    );
    // A reset through either instance reaches the other's memory the same way.
    await harness.rpc.call(RPC.scorer.reset, { userId });
    await expectEventually(
      async () => expect((await scoreOn(first, userId)).n).toBe(0),
      invalidated,
    );
  });

  it('whichever instance consumes a feedback event, both then score with it', async () => {
    const userId = 'u-either-learns';
    for (const instance of [first, second]) expect((await scoreOn(instance, userId)).n).toBe(0);
    for (let i = 0; i < 10; i += 1) {
      await harness.publisher.publishEnvelope(harness.feedback(userId, { features }));
    }
    await expectEventually(async () => {
      expect((await scoreOn(first, userId)).n).toBe(10);
      expect((await scoreOn(second, userId)).n).toBe(10);
    }, invalidated);
  });

  it('forgets what it cached when its invalidation connection is lost, and caches again once tracking is back', async () => {
    const userId = 'u-connection-lost';
    expect((await scoreOn(first, userId)).n).toBe(0);
    expect(reads(first).isCached(liveModelKey(userId))).toBe(true);
    const lost = reads(first).invalidationConnectionId!;
    await harness.redis.call('CLIENT', 'KILL', 'ID', String(lost));
    // Redis sends this write's invalidation to a connection that is gone: it is lost.
    await learnOn(second, userId);
    await expectEventually(() => {
      expect(reads(first).invalidationConnectionId).toBeDefined();
      expect(reads(first).invalidationConnectionId).not.toBe(lost);
    });
    // Not eventually: a new session starts from nothing, so the first read goes to Redis.
    expect((await scoreOn(first, userId)).n).toBe(1);
    expect(reads(first).isCached(liveModelKey(userId))).toBe(true);
    await learnOn(second, userId);
    await expectEventually(
      async () => expect((await scoreOn(first, userId)).n).toBe(2),
      invalidated,
    );
  });

  it('sends the reply Nest would have made of the same response, byte for byte', async () => {
    const body = JSON.stringify({
      pattern: RPC.scorer.score,
      data: { userId: 'u-wire', candidates: [{ id: 'Zahnarzt – "9:00"', features }] },
      id: 7,
    });
    const reply = await harness.nats.nc.request(
      harness.nats.topology.wire(RPC.scorer.score),
      body,
      {
        timeout: 2_000,
      },
    );
    const { response } = reply.json<{ response: unknown }>();
    expect(reply.string()).toBe(JSON.stringify({ response, isDisposed: true, id: 7 }));
  });
});
