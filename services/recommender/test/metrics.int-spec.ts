import type { RecommenderMetricsRequest, ServingMetrics } from '@oo/contracts';
import { RpcCallError } from '@oo/messaging';
import { expectEventually, readMetric } from '@oo/testing';
import { startRecommender, type RecommenderApp } from './support/recommender-app.js';

const NO_REACTIONS = { done: 0, dismiss: 0, snooze: 0, helpful: 0, not_helpful: 0, expired: 0 };

const signupMetric = (app: RecommenderApp, outcome: string): Promise<number> =>
  readMetric(app.url, `oo_recommender_signups_total{outcome="${outcome}"`);

/**
 * The metrics baseline over a decision log written row by row, the sign-ups arriving as
 * auth publishes them: every number is known in advance, and each is checked.
 */
describe('rpc.recommender.metrics', () => {
  let recommender: RecommenderApp;

  beforeAll(async () => {
    // Before every seeded tip: the rewards sweeper (it runs at start) must not expire them.
    recommender = await startRecommender('recommender-metrics', {
      clock: () => new Date('2026-11-09T00:00:00Z'),
    });
  });

  afterAll(async () => {
    await recommender?.stop();
  });

  const signupsOf = async (userId: string): Promise<string[]> =>
    (
      await recommender.sql.query<{ at: Date }>(
        'SELECT signed_up_at AS at FROM recommender.signup WHERE user_id = $1',
        [userId],
      )
    ).rows.map((row) => row.at.toISOString());

  it('counts a sign-up once, whether its event is delivered again or the user signs up twice', async () => {
    const first = recommender.signedUp('u1', '2026-11-10T08:00:00.000Z');
    await recommender.publisher.publishEnvelope(first);
    await expectEventually(async () => expect(await signupMetric(recommender, 'recorded')).toBe(1));

    await recommender.deliverAgain(first);
    // Another event of the same user, a day later: the first sign-up's day stays.
    await recommender.publisher.publishEnvelope(
      recommender.signedUp('u1', '2026-11-11T08:00:00.000Z'),
    );
    await expectEventually(async () =>
      expect(await signupMetric(recommender, 'duplicate')).toBe(2),
    );

    expect(await signupMetric(recommender, 'recorded')).toBe(1);
    expect(await signupsOf('u1')).toEqual(['2026-11-10T08:00:00.000Z']);
  });

  describe('over two days, two policies and every kind of reaction', () => {
    beforeAll(async () => {
      const { publisher, logTip, react } = recommender;
      // Sign-ups: u1 (above), u2, u3 on the 10th; u4 on the 11th; u5 the day before the range.
      for (const [userId, at] of [
        ['u2', '2026-11-10T12:00:00.000Z'],
        ['u3', '2026-11-10T23:59:59.000Z'],
        ['u4', '2026-11-11T00:00:00.000Z'],
        ['u5', '2026-11-09T10:00:00.000Z'],
      ] as const) {
        await publisher.publishEnvelope(recommender.signedUp(userId, at));
      }
      await expectEventually(async () =>
        expect(await signupMetric(recommender, 'recorded')).toBe(5),
      );

      // The 10th (UTC).
      const t1 = await logTip({
        userId: 'u1',
        policy: 'linucb-d5',
        servedAt: '2026-11-10T09:00:00Z',
      });
      await react(t1, { kind: 'terminal', action: 'done', reward: 1, source: 'user' });
      await react(t1, { kind: 'rating', action: 'helpful', reward: 0.5, source: 'user' });
      const t2 = await logTip({
        userId: 'u1',
        policy: 'linucb-d5',
        servedAt: '2026-11-10T10:00:00Z',
      });
      await react(t2, { kind: 'terminal', action: 'expired', reward: 0, source: 'expiry' });
      const t3 = await logTip({
        userId: 'u2',
        policy: 'linucb-d5',
        servedAt: '2026-11-10T11:00:00Z',
      });
      await react(t3, { kind: 'terminal', action: 'dismiss', reward: -1, source: 'user' });
      await logTip({ userId: 'u2', policy: 'random', servedAt: '2026-11-10T12:00:00Z' });
      // Late on the 10th, completed in Todoist on the 11th: counts on the 10th, not as the user's reaction.
      const t4 = await logTip({ userId: 'u2', policy: 'random', servedAt: '2026-11-10T23:30:00Z' });
      await react(t4, {
        kind: 'terminal',
        action: 'done',
        reward: 1,
        source: 'webhook',
        reactedAt: '2026-11-11T01:00:00Z',
      });

      // The 11th.
      const t6 = await logTip({
        userId: 'u4',
        policy: 'linucb-d5',
        servedAt: '2026-11-11T00:10:00Z',
      });
      await react(t6, { kind: 'terminal', action: 'snooze', reward: 0, source: 'user' });
      await react(t6, { kind: 'rating', action: 'not_helpful', reward: -0.5, source: 'user' });
      const t7 = await logTip({ userId: 'u1', policy: 'random', servedAt: '2026-11-11T15:00:00Z' });
      await react(t7, { kind: 'rating', action: 'helpful', reward: 0.5, source: 'user' });

      // Outside the range: the day before, and `until` itself.
      const t8 = await logTip({ userId: 'u5', policy: 'random', servedAt: '2026-11-09T23:59:59Z' });
      await react(t8, { kind: 'terminal', action: 'done', reward: 1, source: 'user' });
      await logTip({ userId: 'u3', policy: 'linucb-d5', servedAt: '2026-11-13T00:00:00Z' });
    });

    const serving = (
      expected: Omit<ServingMetrics, 'reactions'> & {
        reactions: Partial<ServingMetrics['reactions']>;
      },
    ): ServingMetrics => ({ ...expected, reactions: { ...NO_REACTIONS, ...expected.reactions } });

    it('gives each UTC day of [since, until) its sign-ups, activation, serving and reactions, by policy', async () => {
      const response = await recommender.rpc.call('rpc.recommender.metrics', {
        since: '2026-11-10',
        until: '2026-11-13',
      });

      expect(response.since).toBe('2026-11-10');
      expect(response.until).toBe('2026-11-13');
      expect(response.days.map((day) => day.day)).toEqual([
        '2026-11-10',
        '2026-11-11',
        '2026-11-12',
      ]);
      const [tenth, eleventh, twelfth] = response.days;

      // u1, u2, u3 signed up on the 10th; u1 and u2 have had a tip (u3's first comes later,
      // outside the range, and still counts: activation is "has had a tip by now").
      expect(tenth).toMatchObject({ signups: 3, activated: 3 });
      expect(tenth?.activationRate).toBe(1);
      expect(tenth?.served).toEqual(
        serving({
          usersServed: 2,
          tipsServed: 5,
          tipsWithUserReaction: 2, // t1 and t3; t2 expired, t4 done by webhook, t5 none
          reactionRate: 0.4,
          reactions: { done: 2, helpful: 1, expired: 1, dismiss: 1 },
          rewardedReactions: 5,
          meanReward: 0.3, // (1 + 0.5 + 0 − 1 + 1) / 5
        }),
      );
      expect(tenth?.byPolicy).toEqual({
        'linucb-d5': serving({
          usersServed: 2,
          tipsServed: 3,
          tipsWithUserReaction: 2,
          reactionRate: 2 / 3,
          reactions: { done: 1, helpful: 1, expired: 1, dismiss: 1 },
          rewardedReactions: 4,
          meanReward: 0.125,
        }),
        random: serving({
          usersServed: 1,
          tipsServed: 2,
          tipsWithUserReaction: 0,
          reactionRate: 0,
          reactions: { done: 1 },
          rewardedReactions: 1,
          meanReward: 1,
        }),
      });

      expect(eleventh).toMatchObject({ signups: 1, activated: 1, activationRate: 1 });
      expect(eleventh?.served).toEqual(
        serving({
          usersServed: 2,
          tipsServed: 2,
          tipsWithUserReaction: 2,
          reactionRate: 1,
          reactions: { snooze: 1, not_helpful: 1, helpful: 1 },
          rewardedReactions: 3,
          meanReward: 0,
        }),
      );
      expect(eleventh?.byPolicy).toEqual({
        'linucb-d5': serving({
          usersServed: 1,
          tipsServed: 1,
          tipsWithUserReaction: 1,
          reactionRate: 1,
          reactions: { snooze: 1, not_helpful: 1 },
          rewardedReactions: 2,
          meanReward: -0.25,
        }),
        random: serving({
          usersServed: 1,
          tipsServed: 1,
          tipsWithUserReaction: 1,
          reactionRate: 1,
          reactions: { helpful: 1 },
          rewardedReactions: 1,
          meanReward: 0.5,
        }),
      });

      // A day with nothing is there, with zeros, and rates that have no denominator are null.
      expect(twelfth).toEqual({
        day: '2026-11-12',
        signups: 0,
        activated: 0,
        activationRate: null,
        served: serving({
          usersServed: 0,
          tipsServed: 0,
          tipsWithUserReaction: 0,
          reactionRate: null,
          reactions: {},
          rewardedReactions: 0,
          meanReward: null,
        }),
        byPolicy: {},
      });
    });

    it('activation counts only the sign-ups that have had a tip', async () => {
      const [ninth] = (
        await recommender.rpc.call('rpc.recommender.metrics', {
          since: '2026-11-09',
          until: '2026-11-10',
        })
      ).days;
      expect(ninth).toMatchObject({ day: '2026-11-09', signups: 1, activated: 1 });

      // u6 signs up and is never served.
      await recommender.publisher.publishEnvelope(
        recommender.signedUp('u6', '2026-11-09T18:00:00.000Z'),
      );
      await expectEventually(async () => expect(await signupsOf('u6')).toHaveLength(1));
      const [again] = (
        await recommender.rpc.call('rpc.recommender.metrics', {
          since: '2026-11-09',
          until: '2026-11-10',
        })
      ).days;
      expect(again).toMatchObject({ signups: 2, activated: 1, activationRate: 0.5 });
    });
  });

  describe('refuses a malformed range with invalid_request naming the field', () => {
    const cases: Array<[string, unknown, string]> = [
      ['since missing', { until: '2026-11-10' }, 'since'],
      ['until missing', { since: '2026-11-10' }, 'until'],
      ['since not a date', { since: 'yesterday', until: '2026-11-10' }, 'since'],
      ['a timestamp for until', { since: '2026-11-10', until: '2026-11-11T00:00:00Z' }, 'until'],
      ['a day that does not exist', { since: '2026-02-28', until: '2026-02-30' }, 'until'],
      ['until equal to since', { since: '2026-11-10', until: '2026-11-10' }, 'until'],
      ['until before since', { since: '2026-11-10', until: '2026-11-01' }, 'until'],
      ['401 days', { since: '2026-01-01', until: '2027-02-06' }, 'until'],
      ['an unknown field', { since: '2026-11-10', until: '2026-11-11', policy: 'x' }, 'policy'],
    ];

    it.each(cases)('%s', async (_, request, field) => {
      const failure = await recommender.rpc
        .call('rpc.recommender.metrics', request as RecommenderMetricsRequest)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RpcCallError);
      expect(failure).toMatchObject({ code: 'invalid_request', field });
      expect((failure as RpcCallError).message).toContain(field);
    });
  });
});
