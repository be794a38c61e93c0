import {
  createPrismaAdapter,
  createServicePool,
  createTestDatabase,
  type TestDatabase,
} from '@oo/database';
import { EventPublisher, Topology } from '@oo/messaging';
import {
  createTestNats,
  readDeadLetters,
  readSignals,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import { loadRecommenderEnv } from '../src/config/env.js';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TaskHoldRepository } from '../src/holds/task-hold.repository.js';
import { ReactionMetrics } from '../src/reacting/reaction.metrics.js';
import { ReactionStore } from '../src/reacting/reaction-store.js';
import { TipReactions } from '../src/reacting/tip-reactions.js';
import { TipRepository, type NewTip } from '../src/tips/tip.repository.js';

/**
 * Reactions against a real Postgres and JetStream: each kind counts once, a terminal one ends
 * the tip and may hold its task, and every accepted reaction reaches JetStream as one feedback
 * event with the tip's features, even when the first publish never happened.
 */
describe('tip reactions', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let nats: TestNats;
  let tips: TipRepository;
  let holds: TaskHoldRepository;
  let pool: pg.Pool;
  let reactions: TipReactions;
  const at = new Date('2026-12-02T09:30:00Z');
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['recommender'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    pool = createServicePool(database.url, 'recommender');
    prisma = new PrismaClient({ adapter: createPrismaAdapter(pool, 'recommender') });
    nats = await createTestNats('recommender_reactions');
    tips = new TipRepository(prisma);
    holds = new TaskHoldRepository(prisma);
    reactions = new TipReactions(
      prisma,
      new EventPublisher(nats.js, nats.topology),
      new ReactionStore(pool),
      loadRecommenderEnv({ RECOMMENDER_DISMISS_COOLOFF_HOURS: '24' }),
      new ReactionMetrics(new Registry()),
    );
  });

  afterAll(async () => {
    await nats?.cleanup();
    await prisma?.$disconnect();
    if (pool && !pool.ended) await pool.end();
    await database?.drop();
  });

  async function serve(
    userId: string,
    taskId = `task-${(counter += 1)}`,
    overrides: Partial<NewTip> = {},
  ) {
    const tip: NewTip = {
      userId,
      channel: 'web',
      taskId,
      provider: 'todoist',
      title: 'Pay rent',
      priority: 4,
      due: null,
      url: null,
      policy: 'linucb-d5',
      propensity: 0.96,
      features: [0.5, -0.25, 1, 0.125, 1],
      shadow: { 'linucb-x11': [0.5, -0.25, 1, 0.125, 1, 0.5, -0.25, 0.0625, -0.03125, 0.5, -0.25] },
      seed: 42n,
      candidateCount: 3,
      latencyMs: 3,
      servedAt: new Date(at.getTime() - 60_000),
      ...overrides,
    };
    return (await tips.createTip(tip)).tip;
  }

  const feedbackOf = async (tipId: string) =>
    (await readSignals<'tip.feedback'>(nats, 'signals.tip.feedback.*')).filter(
      (event) => event.data.tipId === tipId,
    );

  it('publishes a done with the tip’s policy, features, propensity and shadows, and ends the tip', async () => {
    const tip = await serve('u-done');
    const outcome = await reactions.react({
      userId: 'u-done',
      tipId: tip.id,
      action: 'done',
      source: 'user',
      at,
    });
    expect(outcome).toMatchObject({ outcome: 'accepted', reward: 1, taskId: tip.taskId });
    const [event, ...more] = await feedbackOf(tip.id);
    expect(more).toHaveLength(0);
    expect(event!.id).toBe(outcome.outcome === 'accepted' ? outcome.eventId : undefined);
    expect(event!.userId).toBe('u-done');
    expect(event!.data).toEqual({
      tipId: tip.id,
      taskId: tip.taskId,
      action: 'done',
      reward: 1,
      policy: 'linucb-d5',
      features: tip.features,
      propensity: 0.96,
      shadow: [{ policy: 'linucb-x11', features: tip.shadow!['linucb-x11'] }],
      source: 'user',
    });
    expect(await tips.openTip('u-done', 'web')).toBeUndefined();
    // Out of the expiry candidates in the same transaction.
    expect((await prisma.tip.findUniqueOrThrow({ where: { id: tip.id } })).terminalAt).toEqual(at);
  });

  it('takes one terminal reaction and one rating per tip; a second of a kind is refused, naming the first', async () => {
    const tip = await serve('u-rules');
    const react = (action: 'done' | 'dismiss' | 'helpful' | 'not_helpful') =>
      reactions.react({ userId: 'u-rules', tipId: tip.id, action, source: 'user', at });
    expect((await react('helpful')).outcome).toBe('accepted');
    expect(await tips.openTip('u-rules', 'web')).toMatchObject({ id: tip.id }); // a rating keeps it open
    expect(await react('not_helpful')).toEqual({
      outcome: 'conflict',
      kind: 'rating',
      existing: 'helpful',
    });
    expect((await react('dismiss')).outcome).toBe('accepted');
    expect(await react('done')).toEqual({
      outcome: 'conflict',
      kind: 'terminal',
      existing: 'dismiss',
    });
    expect((await feedbackOf(tip.id)).map((event) => event.data.action)).toEqual([
      'helpful',
      'dismiss',
    ]);
  });

  it('lets exactly one of many concurrent terminal reactions count', async () => {
    const tip = await serve('u-race');
    const outcomes = await Promise.all(
      (['done', 'dismiss', 'snooze', 'done', 'dismiss', 'snooze'] as const).map((action) =>
        reactions.react({ userId: 'u-race', tipId: tip.id, action, source: 'user', at }),
      ),
    );
    const accepted = outcomes.filter((outcome) => outcome.outcome === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(await feedbackOf(tip.id)).toHaveLength(1);
  });

  it('does not find another user’s tip, and records nothing for it', async () => {
    const tip = await serve('u-owner');
    expect(
      await reactions.react({
        userId: 'u-stranger',
        tipId: tip.id,
        action: 'done',
        source: 'user',
        at,
      }),
    ).toEqual({ outcome: 'not_found' });
    expect(await tips.openTip('u-owner', 'web')).toMatchObject({ id: tip.id });
    expect(await feedbackOf(tip.id)).toHaveLength(0);
  });

  it('holds a snoozed task for its minutes, a dismissed one for the cool-off, a done one until integrations has it', async () => {
    const snoozed = await serve('u-hold', 'snoozed-task');
    const outcome = await reactions.react({
      userId: 'u-hold',
      tipId: snoozed.id,
      action: 'snooze',
      source: 'user',
      at,
      snoozeMinutes: 90,
    });
    expect(outcome).toMatchObject({ heldUntil: new Date(at.getTime() + 90 * 60_000) });
    const dismissed = await serve('u-hold', 'dismissed-task');
    await reactions.react({
      userId: 'u-hold',
      tipId: dismissed.id,
      action: 'dismiss',
      source: 'user',
      at,
    });
    // Done: integrations closes and hides it once it has the feedback event; until then the
    // cached task set still lists it, and it must not be the next tip.
    const done = await serve('u-hold', 'done-task');
    const doneOutcome = await reactions.react({
      userId: 'u-hold',
      tipId: done.id,
      action: 'done',
      source: 'user',
      at: new Date(at.getTime() + 60_000),
    });
    expect(doneOutcome).toMatchObject({ heldUntil: new Date(at.getTime() + 11 * 60_000) });
    const held = (now: Date) => holds.heldTaskIds('u-hold', 'todoist', now);
    expect(await held(new Date(at.getTime() + 10 * 60_000))).toEqual(
      new Set(['snoozed-task', 'dismissed-task', 'done-task']),
    );
    expect(await held(new Date(at.getTime() + 89 * 60_000))).toEqual(
      new Set(['snoozed-task', 'dismissed-task']),
    );
    expect(await held(new Date(at.getTime() + 91 * 60_000))).toEqual(new Set(['dismissed-task']));
    expect(await held(new Date(at.getTime() + 24 * 3_600_000 + 1))).toEqual(new Set());
  });

  it('publishes a stored reaction whose publish never happened, once, under its own id', async () => {
    // A real publish that fails: a namespace with no streams, so JetStream stores nothing.
    const offline = new TipReactions(
      prisma,
      new EventPublisher(nats.js, new Topology(`${nats.topology.namespace}_nostream`)),
      new ReactionStore(pool),
      loadRecommenderEnv({}),
      new ReactionMetrics(new Registry()),
    );
    const tip = await serve('u-outbox');
    const outcome = await offline.react({
      userId: 'u-outbox',
      tipId: tip.id,
      action: 'done',
      source: 'user',
      at,
    });
    expect(outcome.outcome).toBe('accepted');
    expect(await feedbackOf(tip.id)).toHaveLength(0);

    expect(await reactions.publishPending(new Date())).toBeGreaterThanOrEqual(1);
    expect(await reactions.publishPending(new Date())).toBe(0);
    const events = await feedbackOf(tip.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.id).toBe(outcome.outcome === 'accepted' ? outcome.eventId : undefined);
  });

  it('dead-letters a feedback that breaks its contract with the reason, and never retries it', async () => {
    // A logged decision whose feedback can never be valid (a propensity of 0): a real publish.
    const tip = await serve('u-invalid', undefined, { propensity: 0 });
    const lettersOf = async () =>
      (await readDeadLetters(nats)).filter(
        ({ originalSubject }) => originalSubject === 'signals.tip.feedback.u-invalid',
      );
    const outcome = await reactions.react({
      userId: 'u-invalid',
      tipId: tip.id,
      action: 'done',
      source: 'user',
      at,
    });
    // The reaction counts for the user (the tip ends); only its event is unpublishable.
    expect(outcome).toMatchObject({ outcome: 'accepted', reward: 1 });
    expect(await tips.openTip('u-invalid', 'web')).toBeUndefined();

    const letters = await lettersOf();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      subject: 'deadletter.recommender.signals.tip.feedback.u-invalid',
      kind: 'unpublishable',
    });
    expect(letters[0]!.reason).toMatch(/data\.propensity/);
    expect(JSON.parse(letters[0]!.body)).toMatchObject({ data: { tipId: tip.id, propensity: 0 } });
    const row = await prisma.tipReaction.findUniqueOrThrow({
      where: { tipId_kind: { tipId: tip.id, kind: 'terminal' } },
    });
    expect(row.publishError).toMatch(/data\.propensity/);
    expect(row.publishedAt).toBeNull();

    // Marked: the relay leaves it alone; nothing reached SIGNALS.
    await reactions.publishPending(new Date('2100-01-01T00:00:00Z'));
    await reactions.publishPending(new Date('2100-01-01T00:00:00Z'));
    expect(await lettersOf()).toHaveLength(1);
    expect(await feedbackOf(tip.id)).toHaveLength(0);
  });
});
