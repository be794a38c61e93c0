import { randomUUID } from 'node:crypto';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { testInfrastructure } from '@oo/testing';
import pg from 'pg';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TipRepository, type NewTip, type TipChannel } from '../src/tips/tip.repository.js';

/**
 * The tip log against a real Postgres: however many decisions race for a user's channel,
 * the database keeps one open tip and every racer is handed it.
 */
describe('tips', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let sql: pg.Client;
  let tips: TipRepository;

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['recommender'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    tips = new TipRepository(prisma);
  });

  afterAll(async () => {
    await sql?.end();
    await prisma?.$disconnect();
    await database?.drop();
  });

  function decision(userId: string, channel: TipChannel, taskId: string): NewTip {
    return {
      userId,
      channel,
      taskId,
      provider: 'todoist',
      title: `Task ${taskId}`,
      priority: 2,
      due: '2026-12-03',
      url: `https://app.todoist.com/app/task/${taskId}`,
      policy: 'linucb-v1',
      propensity: 0.8,
      features: [1, 0.5, 0],
      shadow: { 'linucb-v2': [1, 0.25] },
      seed: 9007199254740993n,
      candidateCount: 3,
      latencyMs: 4.2,
      servedAt: new Date('2026-12-02T09:00:00Z'),
      scores: [
        { policy: 'linucb-v1', taskId, features: [1, 0.5, 0], mean: 0.4, bonus: 0.2, ucb: 0.6 },
        {
          policy: 'linucb-v1',
          taskId: 't9',
          features: [0, 1, 0],
          mean: 0.1,
          bonus: 0.3,
          ucb: 0.4,
        },
        { policy: 'linucb-v2', taskId, features: [1, 0.25], mean: 0.3, bonus: 0.1, ucb: 0.4 },
      ],
    };
  }

  const openTipsOf = async (userId: string): Promise<{ id: string; channel: string }[]> =>
    (
      await sql.query<{ id: string; channel: string }>(
        'SELECT id, channel FROM recommender.tip WHERE user_id = $1 AND ended_at IS NULL ORDER BY channel',
        [userId],
      )
    ).rows;

  it('50 concurrent decisions for one user and channel store one open tip, and every caller gets it', async () => {
    const userId = `u-${randomUUID()}`;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => tips.createTip(decision(userId, 'web', `t${i}`))),
    );

    const open = await openTipsOf(userId);
    expect(open).toHaveLength(1);
    expect(new Set(results.map((result) => result.tip.id))).toEqual(new Set([open[0]!.id]));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    // The losers stored nothing: not even their scores.
    const { rows } = await sql.query<{ n: number }>(
      'SELECT count(DISTINCT tip_id)::int AS n FROM recommender.tip_score s JOIN recommender.tip t ON t.id = s.tip_id WHERE t.user_id = $1',
      [userId],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('logs the decision as given and hands it back as the open tip', async () => {
    const userId = `u-${randomUUID()}`;
    const given = decision(userId, 'web', 't1');

    const { tip } = await tips.createTip(given);

    const { scores, ...fields } = given;
    expect(await tips.openTip(userId, 'web')).toEqual({
      ...fields,
      why: null,
      explored: false,
      epsilon: null,
      id: tip.id,
      endedAt: null,
      endReason: null,
    });
    expect(await tips.scoresOf(tip.id)).toEqual(scores);
    expect(await tips.openTip(userId, 'push')).toBeUndefined();
  });

  it('after the open tip ends, the next decision becomes the open tip', async () => {
    const userId = `u-${randomUUID()}`;
    const first = await tips.createTip(decision(userId, 'web', 't1'));
    const endedAt = new Date('2026-12-02T09:05:00Z');

    expect(await tips.endTip(first.tip.id, 'done', endedAt)).toBe(true);
    // The first end wins: a second (a late webhook, the sweeper) changes nothing.
    expect(await tips.endTip(first.tip.id, 'expired')).toBe(false);
    expect(await tips.openTip(userId, 'web')).toBeUndefined();

    const second = await tips.createTip(decision(userId, 'web', 't2'));

    expect(second.created).toBe(true);
    expect(second.tip.id).not.toBe(first.tip.id);
    expect((await tips.openTip(userId, 'web'))?.taskId).toBe('t2');
    const { rows } = await sql.query<{ ended_at: Date; end_reason: string }>(
      'SELECT ended_at, end_reason FROM recommender.tip WHERE id = $1',
      [first.tip.id],
    );
    expect(rows).toEqual([{ ended_at: endedAt, end_reason: 'done' }]);
  });

  it('keeps a tip open on each channel independently', async () => {
    const userId = `u-${randomUUID()}`;

    const web = await tips.createTip(decision(userId, 'web', 't1'));
    const push = await tips.createTip(decision(userId, 'push', 't2'));

    expect(push.created).toBe(true);
    expect(await openTipsOf(userId)).toEqual([
      { id: web.tip.id, channel: 'web' },
      { id: push.tip.id, channel: 'push' },
    ]);
  });

  it('refuses a second open tip written past the repository, and deleting a tip removes its scores', async () => {
    const userId = `u-${randomUUID()}`;
    const { tip } = await tips.createTip(decision(userId, 'web', 't1'));

    await expect(
      sql.query(
        `INSERT INTO recommender.tip (id, user_id, channel, task_id, provider, title, priority,
           policy, propensity, features, seed, candidate_count, latency_ms, served_at)
         VALUES ($1, $2, 'web', 't9', 'todoist', 'x', 1, 'random', 1, '[]', 1, 1, 1, now())`,
        [randomUUID(), userId],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'tip_one_open_per_user_channel' });

    await sql.query('DELETE FROM recommender.tip WHERE id = $1', [tip.id]);
    expect(await tips.scoresOf(tip.id)).toEqual([]);
  });

  it('ends as task_gone the open tips whose task left the set, served before it was read', async () => {
    const userId = `u-${randomUUID()}`;
    const servedAt = new Date('2026-12-02T09:00:00Z');
    const { tip: web } = await tips.createTip(decision(userId, 'web', 'gone'));
    const { tip: push } = await tips.createTip({
      ...decision(userId, 'push', 'kept'),
      servedAt,
    });
    const otherUser = await tips.createTip(decision(`u-${randomUUID()}`, 'web', 'gone'));

    // A set read before the tips were served says nothing about them.
    expect(await tips.endTipsOfGoneTasks(userId, 'todoist', ['kept'], servedAt)).toEqual([]);
    // Another source's set neither.
    const later = new Date('2026-12-02T10:00:00Z');
    expect(await tips.endTipsOfGoneTasks(userId, 'other', [], later)).toEqual([]);

    expect(await tips.endTipsOfGoneTasks(userId, 'todoist', ['kept'], later)).toEqual([web.id]);
    expect(await openTipsOf(userId)).toEqual([{ id: push.id, channel: 'push' }]);
    const ended = await prisma.tip.findUniqueOrThrow({ where: { id: web.id } });
    expect(ended).toMatchObject({ endReason: 'task_gone', endedAt: later });
    expect(await openTipsOf(otherUser.tip.userId)).toHaveLength(1);

    // Disconnected: every open tip of the source ends; one already ended stays as it was.
    expect(await tips.endTipsOfGoneTasks(userId, 'todoist', null, later)).toEqual([push.id]);
    expect(await openTipsOf(userId)).toEqual([]);
    expect(await tips.endTipsOfGoneTasks(userId, 'todoist', null, later)).toEqual([]);
  });
});
