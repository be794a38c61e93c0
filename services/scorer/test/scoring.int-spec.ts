import { RpcCallError } from '@oo/messaging';
import { quantize } from '@oo/learning';
import { expectEventually, randomGridFeatures } from '@oo/testing';
import { headers } from '@nats-io/transport-node';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const d5 = (overdue: number, age: number, priority: number): number[] =>
  [0.5, 0.866, overdue, age, priority].map(quantize);

describe('rpc.scorer.* against real NATS and Redis', () => {
  let harness: ScorerHarness;

  beforeAll(async () => {
    harness = await scorerHarness('scoring');
    // Uniform draws without a population prior too (0 by default), so every reply below can
    // explore and say so.
    await harness.boot({ SCORER_EPSILON: '0.05' });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('chooses one candidate, explains every score and logs the propensity', async () => {
    const candidates = Array.from({ length: 50 }, (_, k) => ({
      id: `task-${k}`,
      features: randomGridFeatures(5).map(Math.abs),
    }));
    const reply = await harness.rpc.call('rpc.scorer.score', { userId: 'u-new', candidates });
    expect(reply.policy).toBe('linucb-d5');
    expect(reply.n).toBe(0);
    // The ε it drew with, so the caller's propensities never assume the scorer's config.
    expect(reply.epsilon).toBe(0.05);
    expect(reply.scores).toHaveLength(50);
    expect(candidates.map((c) => c.id)).toContain(reply.chosen);
    for (const score of reply.scores) expect(score.ucb).toBeCloseTo(score.mean + score.bonus, 12);
    // With nothing learned, the starting belief gives the means and the bonus adds α·‖x‖.
    const best = reply.scores.reduce((a, b) => (b.ucb > a.ucb ? b : a));
    if (!reply.explored) {
      expect(reply.chosen).toBe(best.id);
      expect(reply.propensity).toBeCloseTo(0.95 + 0.05 / 50, 12);
    } else {
      expect(reply.propensity).toBeGreaterThanOrEqual(0.05 / 50);
    }
  });

  it('replays a decision exactly from its seed', async () => {
    const candidates = Array.from({ length: 20 }, (_, k) => ({
      id: `t${k}`,
      features: d5(0, k / 20, 0),
    }));
    const request = { userId: 'u-seed', candidates, seed: 7 };
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => harness.rpc.call('rpc.scorer.score', request)),
    );
    for (const reply of replies) expect(reply).toEqual(replies[0]);
    // Some seed among the first hundred explores: the draw, not the argmax, decides then.
    const explored = [];
    for (let seed = 0; seed < 100 && explored.length === 0; seed += 1) {
      const reply = await harness.rpc.call('rpc.scorer.score', { ...request, seed });
      if (reply.explored) explored.push(reply);
    }
    expect(explored[0]!.propensity).toBeCloseTo(0.05 / 20, 12);
  });

  it('learns from feedback: the rewarded kind of task wins afterwards', async () => {
    const userId = 'u-learns';
    const urgent = d5(0, 0.1, 1);
    const old = d5(0, 1, 0);
    for (let i = 0; i < 30; i += 1) {
      await harness.publisher.publishEnvelope(
        harness.feedback(userId, { features: urgent, reward: 1 }),
      );
      await harness.publisher.publishEnvelope(
        harness.feedback(userId, { features: old, reward: -1, action: 'dismiss' }),
      );
    }
    await expectEventually(async () => {
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(60);
    });
    const reply = await harness.rpc.call('rpc.scorer.score', {
      userId,
      seed: 1,
      candidates: [
        { id: 'old', features: old },
        { id: 'urgent', features: urgent },
      ],
    });
    expect(reply.n).toBe(60);
    const [oldScore, urgentScore] = reply.scores;
    expect(urgentScore!.mean).toBeGreaterThan(0.5);
    expect(oldScore!.mean).toBeLessThan(-0.5);
    expect(reply.chosen).toBe('urgent');
    // θ is what the means are made of, so a caller can explain a choice term by term.
    expect(reply.theta).toHaveLength(5);
    const mean = (x: number[]): number =>
      x.reduce((sum, value, j) => sum + reply.theta![j]! * value, 0);
    expect(urgentScore!.mean).toBeCloseTo(mean(urgent), 9);
    expect(oldScore!.mean).toBeCloseTo(mean(old), 9);
  });

  it('scores the live policy and its shadows in one call, exactly as separate calls do', async () => {
    const userId = 'u-shadows';
    for (let i = 0; i < 12; i += 1) {
      await harness.publisher.publishEnvelope(
        harness.feedback(userId, {
          features: randomGridFeatures(5),
          reward: i % 2 ? 1 : -1,
          shadow: i % 3 ? [{ policy: 'linucb-x11', features: randomGridFeatures(11) }] : [],
        }),
      );
    }
    await expectEventually(async () => {
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(12);
    });
    const ids = Array.from({ length: 30 }, (_, k) => `task-${k}`);
    const live = ids.map((id) => ({ id, features: randomGridFeatures(5) }));
    // The shadow lists the same ids in another order, with its own features.
    const shadow = [...ids].reverse().map((id) => ({ id, features: randomGridFeatures(11) }));

    const combined = await harness.rpc.call('rpc.scorer.score', {
      userId,
      seed: 3,
      candidates: live,
      shadows: [{ policy: 'linucb-x11', candidates: shadow }],
    });
    const [alone, x11] = await Promise.all([
      harness.rpc.call('rpc.scorer.score', { userId, seed: 3, candidates: live }),
      harness.rpc.call('rpc.scorer.score', {
        userId,
        seed: 3,
        policy: 'linucb-x11',
        candidates: shadow,
      }),
    ]);
    expect(alone.shadows).toBeUndefined();
    expect(combined).toEqual({
      ...alone,
      shadows: [{ policy: 'linucb-x11', scores: x11.scores, n: x11.n }],
    });
    expect(x11.n).toBe(8);
    expect(combined.shadows![0]!.scores.map((score) => score.id)).toEqual([...ids].reverse());
  });

  it('resets one user, leaving others alone', async () => {
    const userId = 'u-reset';
    await harness.publisher.publishEnvelope(harness.feedback(userId));
    await harness.publisher.publishEnvelope(harness.feedback('u-kept'));
    await expectEventually(async () => {
      expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(1);
      expect((await harness.rpc.call('rpc.scorer.stats', { userId: 'u-kept' })).n).toBe(1);
    });
    expect(await harness.rpc.call('rpc.scorer.reset', { userId })).toEqual({ ok: true });
    const stats = await harness.rpc.call('rpc.scorer.stats', { userId });
    expect(stats).toMatchObject({ n: 0, rewardSum: 0, b: [0, 0, 0, 0, 0] });
    expect(stats.A[2]).toEqual([0, 0, 1, 0, 0]);
    expect((await harness.rpc.call('rpc.scorer.stats', { userId: 'u-kept' })).n).toBe(1);
  });

  describe('answers a bad request with an error naming the problem', () => {
    const good = { id: 'a', features: d5(0, 0.5, 0.5) };
    const x11Of = (id: string) => ({ id, features: new Array<number>(11).fill(0.25) });
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['a missing user', { candidates: [good] }, 'userId', /required/],
      ['no candidates', { userId: 'u', candidates: [] }, 'candidates', /fewer than 1/],
      [
        'more than 200 candidates',
        {
          userId: 'u',
          candidates: Array.from({ length: 201 }, (_, k) => ({ ...good, id: `c${k}` })),
        },
        'candidates',
        /more than 200/,
      ],
      [
        'a wrong feature length',
        { userId: 'u', candidates: [good, { id: 'b', features: [0.1, 0.2] }] },
        'candidates[1].features',
        /has 2 values; linucb-d5 takes 5/,
      ],
      [
        'NaN (JSON carries it as null)',
        { userId: 'u', candidates: [{ id: 'a', features: [0, 0, Number.NaN, 0, 0] }] },
        'candidates[0].features[2]',
        /must be number/,
      ],
      [
        'a feature outside [-1, 1]',
        { userId: 'u', candidates: [{ id: 'a', features: [0, 0, 0, 3, 0] }] },
        'candidates[0].features[3]',
        /task_age.*within \[-1, 1\]/,
      ],
      [
        'an unknown policy',
        { userId: 'u', policy: 'linucb-d99', candidates: [good] },
        'policy',
        /not a known policy/,
      ],
      [
        'the same candidate twice',
        { userId: 'u', candidates: [good, good] },
        'candidates[1].id',
        /appears twice/,
      ],
      [
        'an unknown field',
        { userId: 'u', candidates: [good], limit: 3 },
        'limit',
        /not an allowed field/,
      ],
      ['a user id that is not one', { userId: 'a.b', candidates: [good] }, 'userId', /pattern/],
      [
        'random as the policy (the caller draws random decisions itself)',
        { userId: 'u', policy: 'random', candidates: [good] },
        'policy',
        /'random' has no model: the scorer does not serve random decisions/,
      ],
      [
        'an unknown shadow policy',
        {
          userId: 'u',
          candidates: [good],
          shadows: [{ policy: 'linucb-d99', candidates: [x11Of('a')] }],
        },
        'shadows[0].policy',
        /not a known policy/,
      ],
      [
        'random as a shadow',
        { userId: 'u', candidates: [good], shadows: [{ policy: 'random', candidates: [good] }] },
        'shadows[0].policy',
        /has no model/,
      ],
      [
        'the same shadow twice',
        {
          userId: 'u',
          candidates: [good],
          shadows: [
            { policy: 'linucb-x11', candidates: [x11Of('a')] },
            { policy: 'linucb-x11', candidates: [x11Of('a')] },
          ],
        },
        'shadows[1].policy',
        /'linucb-x11' is already scored in this call/,
      ],
      [
        'the choosing policy as its own shadow',
        { userId: 'u', candidates: [good], shadows: [{ policy: 'linucb-d5', candidates: [good] }] },
        'shadows[0].policy',
        /'linucb-d5' is already scored in this call/,
      ],
      [
        'a shadow candidate the live candidates lack',
        {
          userId: 'u',
          candidates: [good],
          shadows: [{ policy: 'linucb-x11', candidates: [x11Of('a'), x11Of('b')] }],
        },
        'shadows[0].candidates',
        /has id 'b', which is not among candidates/,
      ],
      [
        'a live candidate the shadow lacks',
        {
          userId: 'u',
          candidates: [good, { ...good, id: 'b' }],
          shadows: [{ policy: 'linucb-x11', candidates: [x11Of('b')] }],
        },
        'shadows[0].candidates',
        /lacks id 'a' of candidates/,
      ],
      [
        'a shadow feature vector of the live policy’s length',
        {
          userId: 'u',
          candidates: [good],
          shadows: [{ policy: 'linucb-x11', candidates: [good] }],
        },
        'shadows[0].candidates[0].features',
        /has 5 values; linucb-x11 takes 11/,
      ],
      [
        'the same shadow candidate twice',
        {
          userId: 'u',
          candidates: [good],
          shadows: [{ policy: 'linucb-x11', candidates: [x11Of('a'), x11Of('a')] }],
        },
        'shadows[0].candidates[1].id',
        /appears twice/,
      ],
      [
        'an unknown field in a shadow',
        {
          userId: 'u',
          candidates: [good],
          shadows: [{ policy: 'linucb-x11', candidates: [x11Of('a')], seed: 1 }],
        },
        'shadows[0].seed',
        /not an allowed field/,
      ],
    ];

    it.each(cases)('%s', async (_, request, field, message) => {
      const failure = await harness.rpc
        .call('rpc.scorer.score', request as never)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RpcCallError);
      expect(failure).toMatchObject({ code: 'invalid_request', field });
      expect((failure as RpcCallError).message).toMatch(message);
    });

    it('Infinity written into the JSON by hand, and a body that is not JSON at all', async () => {
      const subject = harness.nats.topology.wire('rpc.scorer.score');
      const raw = `{"pattern":"rpc.scorer.score","id":"1","data":{"userId":"u","candidates":[{"id":"a","features":[0,0,Infinity,0,0]}]}}`;
      const reply = await harness.nats.nc.request(subject, raw, { timeout: 2000 });
      expect(reply.json()).toMatchObject({ err: { code: 'invalid_request' } });
      const h = headers();
      h.set('x', 'y');
      const garbage = await harness.nats.nc.request(subject, 'not json', {
        timeout: 2000,
        headers: h,
      });
      expect(garbage.json()).toMatchObject({
        err: { code: 'invalid_request', message: /not JSON/ },
      });
      // JSON in the wrong shape (the bare request, no id) is answered too, not taken for an event.
      const bare = await harness.nats.nc.request(
        subject,
        JSON.stringify({ userId: 'u', candidates: [good] }),
        { timeout: 2000 },
      );
      expect(bare.json()).toMatchObject({
        err: { code: 'invalid_request', message: /\{pattern, data, id\}/ },
      });
      // …and the scorer keeps answering.
      const after = await harness.rpc.call('rpc.scorer.score', { userId: 'u', candidates: [good] });
      expect(after.chosen).toBe('a');
    });

    it('stats and reset check their requests too', async () => {
      await expect(harness.rpc.call('rpc.scorer.stats', {} as never)).rejects.toMatchObject({
        code: 'invalid_request',
        field: 'userId',
      });
      await expect(
        harness.rpc.call('rpc.scorer.reset', { userId: 'u', policy: 'nope' }),
      ).rejects.toMatchObject({ code: 'invalid_request', field: 'policy' });
    });
  });
});
