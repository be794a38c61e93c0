import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventDataMap } from '@oo/contracts';
import {
  createPrismaAdapter,
  createServicePool,
  createTestDatabase,
  type TestDatabase,
} from '@oo/database';
import { EventPublisher } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  consumerCaughtUp,
  expectEventually,
  freePort,
  readDeadLetters,
  readMetric,
  readSignals,
  serviceTestEnv,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { loadRecommenderEnv, type RecommenderEnv } from '../src/config/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { ReactionStore } from '../src/reacting/reaction-store.js';
import { TipReactions } from '../src/reacting/tip-reactions.js';
import { ReactionMetrics } from '../src/reacting/reaction.metrics.js';
import { EXPIRY_GRACE_MS, TipExpiry } from '../src/rewards/tip-expiry.js';
import { TipRepository, type NewTip, type TipChannel } from '../src/tips/tip.repository.js';
import { Registry } from 'prom-client';

const HOUR = 3_600_000;

/**
 * The rewards oO infers, against the recommender app on real NATS JetStream and Postgres: a
 * completion seen at the task app rewards the tip that suggested it (once, whoever reports it),
 * a tip left alone for `TIP_EXPIRY_HOURS` is expired by the sweeper (once, however many run),
 * and both carry on across a restart. Time is the app's injected clock, moved by the tests.
 */
describe('delayed and expiry rewards', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let nats: TestNats;
  let tips: TipRepository;
  let publisher: EventPublisher;
  let env: RecommenderEnv;
  let service: ServiceApp | undefined;
  let baseUrl: string;
  /** The app's clock. */
  let now = new Date('2026-12-02T09:00:00Z');
  const clock = () => now;

  async function startRecommender(): Promise<void> {
    service = await createApp(env, { clock });
    baseUrl = await service.start();
  }

  async function stopRecommender(): Promise<void> {
    await service?.stop();
    service = undefined;
  }

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['recommender'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
    nats = await createTestNats('recommender_rewards');
    tips = new TipRepository(prisma);
    publisher = new EventPublisher(nats.js, nats.topology);
    env = loadRecommenderEnv(
      await serviceTestEnv(nats, {
        DATABASE_URL: database.url,
        PORT: String(await freePort()),
        TIP_EXPIRY_HOURS: '24',
        RECOMMENDER_SWEEP_INTERVAL_SECONDS: '0.2',
      }),
    );
    await startRecommender();
  }, 60_000);

  afterAll(async () => {
    await stopRecommender();
    await nats?.cleanup();
    await prisma?.$disconnect();
    await database?.drop();
  });

  let counter = 0;
  /** A tip of `userId` for a task, served at `servedAt`. */
  async function serve(
    userId: string,
    servedAt: Date,
    options: { taskId?: string; channel?: TipChannel } = {},
  ) {
    const tip: NewTip = {
      userId,
      channel: options.channel ?? 'web',
      taskId: options.taskId ?? `task-${(counter += 1)}`,
      provider: 'todoist',
      title: 'Renew the passport',
      priority: 3,
      due: null,
      url: null,
      policy: 'linucb-d5',
      propensity: 0.9,
      features: [0.5, -0.25, 1, 0.125, 1],
      shadow: null,
      seed: 7n,
      candidateCount: 4,
      latencyMs: 2,
      servedAt,
    };
    const { created, tip: stored } = await tips.createTip(tip);
    expect(created).toBe(true);
    return stored;
  }

  function complete(
    userId: string,
    taskId: string,
    completedAt: Date,
    via: EventDataMap['task.completed']['via'],
  ) {
    return publisher.publish('task.completed', userId, {
      source: 'todoist',
      taskId,
      completedAt: completedAt.toISOString(),
      via,
    });
  }

  const reactionsOf = (tipId: string) => prisma.tipReaction.findMany({ where: { tipId } });
  const feedbackOf = async (tipId: string) =>
    (await readSignals<'tip.feedback'>(nats, 'signals.tip.feedback.*')).filter(
      (event) => event.data.tipId === tipId,
    );
  const completions = (via: string, outcome: string) =>
    readMetric(baseUrl, `oo_recommender_task_completions_total{via="${via}",outcome="${outcome}"`);
  const expiries = () =>
    readMetric(baseUrl, 'oo_recommender_reactions_total{action="expired",source="expiry"');
  const sweeps = () => readMetric(baseUrl, 'oo_recommender_sweeps_total{outcome="swept"');
  /** Every completion published so far has been handled (acked) by the recommender. */
  const untilCompletionsHandled = () => consumerCaughtUp(nats, 'recommender__task_completed');

  describe('a completion seen at the task app', () => {
    it('rewards the tip once (+1, source webhook), though the completion is delivered again and reconcile reports it too', async () => {
      const tip = await serve('u-webhook', new Date(now.getTime() - 3 * HOUR));
      const completedAt = new Date(now.getTime() - HOUR);
      const rewardedBefore = await completions('webhook', 'rewarded');
      await complete('u-webhook', tip.taskId, completedAt, 'webhook');
      await expectEventually(async () => expect(await reactionsOf(tip.id)).toHaveLength(1));

      // The same completion again (a redelivery under a new id) and as reconcile saw it.
      const handledAgain =
        (await completions('webhook', 'no_tip')) +
        (await completions('webhook', 'already_reacted'));
      const reconcileBefore =
        (await completions('reconcile', 'no_tip')) +
        (await completions('reconcile', 'already_reacted'));
      await complete('u-webhook', tip.taskId, completedAt, 'webhook');
      await complete(
        'u-webhook',
        tip.taskId,
        new Date(completedAt.getTime() + 60_000),
        'reconcile',
      );
      await untilCompletionsHandled();
      expect(
        (await completions('webhook', 'no_tip')) +
          (await completions('webhook', 'already_reacted')),
      ).toBe(handledAgain + 1);
      expect(
        (await completions('reconcile', 'no_tip')) +
          (await completions('reconcile', 'already_reacted')),
      ).toBe(reconcileBefore + 1);
      expect(await completions('webhook', 'rewarded')).toBe(rewardedBefore + 1);

      expect(await reactionsOf(tip.id)).toEqual([
        expect.objectContaining({
          kind: 'terminal',
          action: 'done',
          reward: 1,
          source: 'webhook',
          reactedAt: completedAt,
        }),
      ]);
      const [event, ...more] = await feedbackOf(tip.id);
      expect(more).toHaveLength(0);
      expect(event!.data).toMatchObject({
        action: 'done',
        reward: 1,
        source: 'webhook',
        taskId: tip.taskId,
        policy: 'linucb-d5',
        features: tip.features,
      });
      expect(await tips.openTip('u-webhook', 'web')).toBeUndefined();
    });

    it('gives nothing for a completion more than the expiry window after the tip was served', async () => {
      // Not yet due for expiry on the app's clock, so only the window can refuse the reward.
      const tip = await serve('u-late', new Date(now.getTime() - 2 * HOUR));
      const lateBefore = await completions('webhook', 'no_tip');
      await complete('u-late', tip.taskId, new Date(tip.servedAt.getTime() + 25 * HOUR), 'webhook');
      await untilCompletionsHandled();
      expect(await completions('webhook', 'no_tip')).toBe(lateBefore + 1);
      expect(await reactionsOf(tip.id)).toHaveLength(0);
    });

    it('gives nothing for a completion oO made itself (via oo: the user’s done counted already)', async () => {
      const tip = await serve('u-own', new Date(now.getTime() - HOUR));
      const ownBefore = await completions('oo', 'own_done');
      await complete('u-own', tip.taskId, new Date(now.getTime() - 60_000), 'oo');
      await untilCompletionsHandled();
      expect(await completions('oo', 'own_done')).toBe(ownBefore + 1);
      expect(await reactionsOf(tip.id)).toHaveLength(0);
      expect(await tips.openTip('u-own', 'web')).toMatchObject({ id: tip.id });
    });

    it('gives nothing for a task the user already reacted to (dismissed, then completed)', async () => {
      const tip = await serve('u-dismissed', new Date(now.getTime() - 2 * HOUR));
      await prisma.tipReaction.create({
        data: {
          tipId: tip.id,
          kind: 'terminal',
          action: 'dismiss',
          reward: -1,
          source: 'user',
          reactedAt: new Date(now.getTime() - HOUR),
          eventId: randomUUID(),
          publishedAt: now,
        },
      });
      await complete('u-dismissed', tip.taskId, new Date(now.getTime() - 60_000), 'reconcile');
      await untilCompletionsHandled();
      expect((await reactionsOf(tip.id)).map((row) => row.action)).toEqual(['dismiss']);
    });

    it('rewards the most recent of several tips of the task, including one ended task_gone', async () => {
      const older = await serve('u-two', new Date(now.getTime() - 5 * HOUR), {
        taskId: 'shared-task',
        channel: 'push',
      });
      await tips.endTip(older.id, 'task_gone', new Date(now.getTime() - 4 * HOUR));
      const newer = await serve('u-two', new Date(now.getTime() - 2 * HOUR), {
        taskId: 'shared-task',
      });
      await tips.endTip(newer.id, 'task_gone', new Date(now.getTime() - HOUR));
      await complete('u-two', 'shared-task', new Date(now.getTime() - 30 * 60_000), 'reconcile');
      await expectEventually(async () =>
        expect(await reactionsOf(newer.id)).toEqual([
          expect.objectContaining({ action: 'done', reward: 1, source: 'reconcile' }),
        ]),
      );
      await untilCompletionsHandled();
      expect(await reactionsOf(older.id)).toHaveLength(0);
    });

    it('rewards only the most recent tip of the task: an older one is not rewarded when the newest was snoozed', async () => {
      const older = await serve('u-snoozed', new Date(now.getTime() - 5 * HOUR), {
        taskId: 'snoozed-task',
        channel: 'push',
      });
      const newer = await serve('u-snoozed', new Date(now.getTime() - 2 * HOUR), {
        taskId: 'snoozed-task',
      });
      await prisma.tipReaction.create({
        data: {
          tipId: newer.id,
          kind: 'terminal',
          action: 'snooze',
          reward: 0,
          source: 'user',
          reactedAt: new Date(now.getTime() - HOUR),
          eventId: randomUUID(),
          publishedAt: now,
        },
      });
      const reactedBefore = await completions('webhook', 'already_reacted');
      await complete('u-snoozed', 'snoozed-task', new Date(now.getTime() - 30 * 60_000), 'webhook');
      await untilCompletionsHandled();
      expect(await completions('webhook', 'already_reacted')).toBe(reactedBefore + 1);
      expect(await reactionsOf(older.id)).toHaveLength(0);
      expect(await feedbackOf(older.id)).toHaveLength(0);
      expect((await reactionsOf(newer.id)).map((row) => row.action)).toEqual(['snooze']);
    });

    it('dead-letters a completion that breaks its contract, naming the field', async () => {
      const envelope = createEnvelope('task.completed', 'u-bad', {
        source: 'todoist',
        taskId: 'bad-task',
        completedAt: now.toISOString(),
        via: 'oo',
      });
      const broken = { ...envelope, data: { ...envelope.data, via: 'carrier-pigeon' } };
      await nats.js.publish(
        nats.topology.wire('signals.task.completed.u-bad'),
        JSON.stringify(broken),
      );
      await expectEventually(async () => {
        const letter = (await readDeadLetters(nats)).find((dead) =>
          dead.body.includes(envelope.id),
        );
        expect(letter).toMatchObject({
          consumer: 'recommender__task_completed',
          kind: 'invalid_schema',
        });
        expect(letter!.reason).toContain('via');
      });
    });
  });

  describe('a tip left alone', () => {
    it('is expired once when the window has passed (reward 0, source expiry), whether open or ended task_gone', async () => {
      const open = await serve('u-expire', new Date(now.getTime() - HOUR));
      const gone = await serve('u-expire-gone', new Date(now.getTime() - 2 * HOUR));
      await tips.endTip(gone.id, 'task_gone', new Date(now.getTime() - HOUR));
      const expiredBefore = await expiries();
      // Still inside the window (of both) after two more sweeps.
      now = new Date(now.getTime() + 21 * HOUR);
      const sweptBefore = await sweeps();
      await expectEventually(async () =>
        expect(await sweeps()).toBeGreaterThanOrEqual(sweptBefore + 2),
      );
      expect(await reactionsOf(open.id)).toHaveLength(0);
      expect(await reactionsOf(gone.id)).toHaveLength(0);

      now = new Date(now.getTime() + 3 * HOUR);
      for (const tip of [open, gone]) {
        await expectEventually(async () =>
          expect(await reactionsOf(tip.id)).toEqual([
            expect.objectContaining({
              kind: 'terminal',
              action: 'expired',
              reward: 0,
              source: 'expiry',
              reactedAt: new Date(tip.servedAt.getTime() + 24 * HOUR),
            }),
          ]),
        );
        await expectEventually(async () =>
          expect((await feedbackOf(tip.id)).map((event) => event.data)).toEqual([
            expect.objectContaining({ action: 'expired', reward: 0, source: 'expiry' }),
          ]),
        );
      }
      expect(await tips.openTip('u-expire', 'web')).toBeUndefined();
      const ended = await prisma.tip.findUniqueOrThrow({ where: { id: gone.id } });
      expect(ended.endReason).toBe('task_gone'); // how it ended stays; the reward is the expiry's
      // Both left the expiry candidates (the partial index `tip_expiry_candidates`) for good.
      expect(ended.terminalAt).toEqual(new Date(gone.servedAt.getTime() + 24 * HOUR));
      const candidates = await prisma.$queryRaw<Array<{ id: string }>>`
        SELECT id::text FROM tip WHERE terminal_at IS NULL`;
      const candidateIds = candidates.map(({ id }) => id);
      expect(candidateIds).not.toContain(open.id);
      expect(candidateIds).not.toContain(gone.id);
      expect(await expiries()).toBeGreaterThanOrEqual(expiredBefore + 2);
    });

    it('waits a grace after the window: a completion just before it, reported late, still earns +1', async () => {
      const completedLate = await serve('u-grace-done', new Date(now.getTime() - HOUR));
      const leftAlone = await serve('u-grace-alone', new Date(now.getTime() - HOUR));
      // The window of both has passed, the grace has not; the sweeper runs meanwhile.
      now = new Date(completedLate.servedAt.getTime() + 24 * HOUR + EXPIRY_GRACE_MS / 2);
      const sweptBefore = await sweeps();
      await expectEventually(async () =>
        expect(await sweeps()).toBeGreaterThanOrEqual(sweptBefore + 2),
      );
      expect(await reactionsOf(completedLate.id)).toHaveLength(0);
      expect(await reactionsOf(leftAlone.id)).toHaveLength(0);

      // Completed in the app a minute before the window closed, reported only now.
      const completedAt = new Date(completedLate.servedAt.getTime() + 24 * HOUR - 60_000);
      await complete('u-grace-done', completedLate.taskId, completedAt, 'reconcile');
      await expectEventually(async () =>
        expect(await reactionsOf(completedLate.id)).toEqual([
          expect.objectContaining({ action: 'done', reward: 1, source: 'reconcile' }),
        ]),
      );

      // After the grace the other expires, reacted at the end of its window.
      now = new Date(leftAlone.servedAt.getTime() + 24 * HOUR + EXPIRY_GRACE_MS + 60_000);
      await expectEventually(async () =>
        expect(await reactionsOf(leftAlone.id)).toEqual([
          expect.objectContaining({
            action: 'expired',
            source: 'expiry',
            reactedAt: new Date(leftAlone.servedAt.getTime() + 24 * HOUR),
          }),
        ]),
      );
      expect((await reactionsOf(completedLate.id)).map((row) => row.action)).toEqual(['done']);
    });

    it('is expired once when two sweepers run at once', async () => {
      // Due only on this test's own clock, far ahead of the app's, so only these two sweep them.
      const servedAt = new Date(now.getTime() + 30 * 24 * HOUR);
      const due = await Promise.all(
        Array.from({ length: 12 }, (_, k) => serve(`u-pair-${k}`, servedAt)),
      );
      const [first, second] = [sweeperOn(), sweeperOn()];
      const at = new Date(servedAt.getTime() + 25 * HOUR);
      const passes = await Promise.all([first.expiry.expireDue(at), second.expiry.expireDue(at)]);
      expect(passes.reduce((sum, pass) => sum + (pass?.expired ?? 0), 0)).toBe(due.length);
      for (const tip of due) {
        expect((await reactionsOf(tip.id)).map((row) => row.action)).toEqual(['expired']);
        expect(await feedbackOf(tip.id)).toHaveLength(1);
      }
      await Promise.all([first.close(), second.close()]);
    });

    it('skips the pass while another instance holds it', async () => {
      const servedAt = new Date(now.getTime() + 60 * 24 * HOUR);
      const tip = await serve('u-held', servedAt);
      const sweeper = sweeperOn();
      const other = new pg.Client({ connectionString: database.url });
      await other.connect();
      try {
        await other.query('SET search_path = recommender');
        await other.query('BEGIN');
        const held = await other.query<{ taken: boolean }>(
          `SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || '.tip_expiry', 0)) AS taken`,
        );
        expect(held.rows[0]!.taken).toBe(true);
        const at = new Date(servedAt.getTime() + 25 * HOUR);
        expect(await sweeper.expiry.expireDue(at)).toBeUndefined();
        expect(await reactionsOf(tip.id)).toHaveLength(0);
        await other.query('COMMIT');
        expect(await sweeper.expiry.expireDue(at)).toEqual({ expired: 1 });
      } finally {
        await other.end();
        await sweeper.close();
      }
    });
  });

  it('rewards a completion published while the recommender was down, and expires what came due meanwhile, after a restart', async () => {
    const completed = await serve('u-restart-done', new Date(now.getTime() - HOUR));
    const lingering = await serve('u-restart-expire', new Date(now.getTime() - 20 * HOUR));
    await stopRecommender();

    const completedAt = new Date(now.getTime() - 30 * 60_000);
    await complete('u-restart-done', completed.taskId, completedAt, 'webhook');
    now = new Date(now.getTime() + 5 * HOUR); // the lingering tip comes due while it is down
    expect(await reactionsOf(completed.id)).toHaveLength(0);
    expect(await reactionsOf(lingering.id)).toHaveLength(0);

    await startRecommender();
    await expectEventually(async () =>
      expect(await reactionsOf(completed.id)).toEqual([
        expect.objectContaining({ action: 'done', reward: 1, source: 'webhook' }),
      ]),
    );
    await expectEventually(async () =>
      expect(await reactionsOf(lingering.id)).toEqual([
        expect.objectContaining({ action: 'expired', reward: 0, source: 'expiry' }),
      ]),
    );
    await expectEventually(async () => {
      expect(await feedbackOf(completed.id)).toHaveLength(1);
      expect(await feedbackOf(lingering.id)).toHaveLength(1);
    });
  });

  /** A `TipExpiry` of another instance: its own Postgres connections and publisher. */
  function sweeperOn() {
    const pool = createServicePool(database.url, 'recommender');
    const client = new PrismaClient({ adapter: createPrismaAdapter(pool, 'recommender') });
    const reactions = new TipReactions(
      client,
      publisher,
      new ReactionStore(pool),
      env,
      new ReactionMetrics(new Registry()),
    );
    const expiry = new TipExpiry(client, reactions, env);
    return {
      expiry,
      close: async () => {
        await client.$disconnect();
        if (!pool.ended) await pool.end();
      },
    };
  }
});
