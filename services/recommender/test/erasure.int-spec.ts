import { readSignals, expectEventually } from '@oo/testing';
import { TaskHoldRepository } from '../src/holds/task-hold.repository.js';
import { TipRepository } from '../src/tips/tip.repository.js';
import { startRecommender, type RecommenderApp } from './support/recommender-app.js';

/**
 * Account deletion in the recommender: every row of the user goes, in every table of its
 * schema, then the deletion saga hears `signals.user.purged`; other users keep theirs.
 */
describe('deletion (signals.user.deleted)', () => {
  let recommender: RecommenderApp;

  beforeAll(async () => {
    // The seeded tips were served on 2026-11-10; the sweeper must not expire them meanwhile.
    recommender = await startRecommender('recommender-erasure', {
      clock: () => new Date('2026-11-10T12:00:00Z'),
    });
  });

  afterAll(async () => {
    await recommender?.stop();
  });

  /** Every table of the schema with a `user_id` column: what the purge must empty of a user. */
  async function userKeyedTables(): Promise<string[]> {
    const { rows } = await recommender.sql.query<{ name: string }>(
      `SELECT c.table_name AS name
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'recommender' AND c.column_name = 'user_id'
         AND t.table_type = 'BASE TABLE'
       ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  /** Every table of the schema with a `tip_id` column (removed with their tip). */
  async function tipKeyedTables(): Promise<string[]> {
    const { rows } = await recommender.sql.query<{ name: string }>(
      `SELECT c.table_name AS name
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'recommender' AND c.column_name = 'tip_id'
         AND t.table_type = 'BASE TABLE'
       ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  /** Rows of the user in each user-keyed table, and rows of `tipIds` in each tip-keyed one. */
  async function rowsOf(userId: string, tipIds: string[] = []): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of await userKeyedTables()) {
      const { rows } = await recommender.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM recommender."${table}" WHERE user_id = $1`,
        [userId],
      );
      counts[table] = rows[0]?.n ?? 0;
    }
    for (const table of await tipKeyedTables()) {
      const { rows } = await recommender.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM recommender."${table}" WHERE tip_id = ANY($1::uuid[])`,
        [tipIds],
      );
      counts[table] = rows[0]?.n ?? 0;
    }
    return counts;
  }

  /**
   * A user with a row in every table the recommender keeps of users: tips, reactions, holds,
   * a push decision, sign-up.
   */
  async function seed(userId: string): Promise<string[]> {
    const { publisher, logTip, react, prisma } = recommender;
    await publisher.publishEnvelope(recommender.signedUp(userId, '2026-11-10T08:00:00.000Z'));
    const first = await logTip({ userId, policy: 'linucb-d5', servedAt: '2026-11-10T09:00:00Z' });
    await react(first, { kind: 'terminal', action: 'snooze', reward: 0, source: 'user' });
    await react(first, { kind: 'rating', action: 'helpful', reward: 0.5, source: 'user' });
    const second = await logTip({ userId, policy: 'random', servedAt: '2026-11-10T10:00:00Z' });
    await react(second, { kind: 'terminal', action: 'dismiss', reward: -1, source: 'user' });
    const holds = new TaskHoldRepository(prisma);
    await holds.hold({
      userId,
      provider: 'todoist',
      taskId: 'task-snoozed',
      // Ahead of the clock: the running sweeper forgets holds that ran out.
      until: new Date(Date.now() + 3_600_000),
      reason: 'snooze',
    });
    await holds.hold({
      userId,
      provider: 'todoist',
      taskId: 'task-dismissed',
      until: new Date(Date.now() + 24 * 3_600_000),
      reason: 'dismiss',
    });
    // A push decision no device has accepted yet (push_decision).
    await new TipRepository(prisma).savePushDecision({
      userId,
      channel: 'push',
      taskId: 'task-pushed',
      provider: 'todoist',
      title: 'A task in a push on its way',
      priority: 2,
      due: null,
      url: null,
      policy: 'linucb-d5',
      propensity: 0.9,
      features: [0, 1, 0, 0.5, 0.33],
      shadow: null,
      seed: 7n,
      candidateCount: 2,
      latencyMs: 3,
      servedAt: new Date('2026-11-10T11:00:00Z'),
    });
    await expectEventually(async () => expect((await rowsOf(userId))['signup']).toBe(1));
    return [first, second];
  }

  it('purges every row of the user from every table of the schema, confirms, and keeps the others', async () => {
    const leavingTips = await seed('u-leaving');
    const stayingTips = await seed('u-staying');

    const before = await rowsOf('u-leaving', leavingTips);
    // Every user-keyed table must be seeded above: a table added later that this test does
    // not fill fails here, so it cannot be forgotten by the purge unnoticed.
    const empty = Object.entries(before).filter(([, n]) => n === 0);
    expect(empty).toEqual([]);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['signup', 'task_hold', 'tip', 'tip_reaction', 'tip_score']),
    );
    const staying = await rowsOf('u-staying', stayingTips);

    await recommender.publisher.publish('user.deleted', 'u-leaving', {
      requestedAt: new Date().toISOString(),
    });

    await expectEventually(async () => {
      const purged = await readSignals<'user.purged'>(
        recommender.nats,
        'signals.user.purged.u-leaving',
      );
      expect(purged.map((event) => event.data)).toEqual([{ service: 'recommender' }]);
    });
    const after = await rowsOf('u-leaving', leavingTips);
    expect(after).toEqual(Object.fromEntries(Object.keys(before).map((table) => [table, 0])));
    expect(await rowsOf('u-staying', stayingTips)).toEqual(staying);

    // The metrics forget the user too: the 10th now holds only the user who stays.
    const [tenth] = (
      await recommender.rpc.call('rpc.recommender.metrics', {
        since: '2026-11-10',
        until: '2026-11-11',
      })
    ).days;
    expect(tenth).toMatchObject({ signups: 1, activated: 1 });
    expect(tenth?.served).toMatchObject({ usersServed: 1, tipsServed: 2 });
  });

  it('confirms the deletion of a user it holds nothing of', async () => {
    await recommender.publisher.publish('user.deleted', 'u-never-seen', {
      requestedAt: new Date().toISOString(),
    });
    await expectEventually(async () =>
      expect(await readSignals(recommender.nats, 'signals.user.purged.u-never-seen')).toHaveLength(
        1,
      ),
    );
    expect(Object.values(await rowsOf('u-never-seen')).every((n) => n === 0)).toBe(true);
  });
});
