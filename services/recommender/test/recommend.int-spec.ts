import { randomUUID } from 'node:crypto';
import { RPC, type Envelope, type RecommendResponse, type Tip } from '@oo/contracts';
import { D5, policyRegistry, quantize } from '@oo/learning';
import {
  consumerCaughtUp,
  expectEventually,
  readDeadLetters,
  readMetric,
  readSignals,
  tipFeedbackData,
} from '@oo/testing';
import { v7 as uuidv7 } from 'uuid';
import { EventPublisher } from '@oo/messaging';
import { RecommendService } from '../src/deciding/recommend.service.js';
import { PUSH_DECISION_TTL_MS, PushDecisionSweeper } from '../src/pushing/push-decision-sweeper.js';
import { TaskHoldRepository } from '../src/holds/task-hold.repository.js';
import { TipRepository } from '../src/tips/tip.repository.js';
import { startTipLoopHarness, type TipLoopHarness } from './support/tip-loop-harness.js';

const LIVE = policyRegistry.live().name;
const SHADOW = policyRegistry.shadows()[0]!.name;
const EPSILON = 0.05;
/** The recommender's SCORER_EPSILON, unlike the scorer's: only tips without a logged ε use it. */
const STALE_EPSILON = 0.5;
const SCORER_DEADLINE_MS = 1_000;

interface TipRow {
  id: string;
  task_id: string;
  policy: string;
  propensity: number;
  features: number[];
  shadow: Record<string, number[]> | null;
  seed: string;
  candidate_count: number;
  latency_ms: number;
  ended_at: Date | null;
  end_reason: string | null;
  why: unknown;
  explored: boolean;
  served_event_id: string | null;
  served_published_at: Date | null;
  served_publish_error: string | null;
  epsilon: number | null;
}

/**
 * Deciding and serving the one tip, against integrations, the scorer and the local Todoist as
 * processes on real NATS, Redis and Postgres; the recommender in this process.
 */
describe('rpc.recommender.recommend', () => {
  let harness: TipLoopHarness;
  let tips: TipRepository;
  let holds: TaskHoldRepository;

  beforeAll(async () => {
    harness = await startTipLoopHarness('recommender_recommend', {
      scorerEnv: { SCORER_EPSILON: String(EPSILON) },
    });
    const app = await harness.startRecommender({
      SCORER_EPSILON: String(STALE_EPSILON),
      // What these tests check is the live policy's decision, not its speed: a generous
      // deadline keeps a cold scorer on a busy machine from turning them into random picks.
      RECOMMENDER_SCORER_TIMEOUT_MS: String(SCORER_DEADLINE_MS),
    });
    tips = app.app.get(TipRepository);
    holds = app.app.get(TaskHoldRepository);
  }, 240_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const tipRow = async (tipId: string): Promise<TipRow> =>
    (await harness.sql.query<TipRow>('SELECT * FROM recommender.tip WHERE id = $1', [tipId]))
      .rows[0]!;

  const served = (userId: string): Promise<Array<Envelope<'tip.served'>>> =>
    readSignals<'tip.served'>(harness.nats, `signals.tip.served.${userId}`);

  const someTip = (response: RecommendResponse): Tip => {
    expect(response.tip).not.toBeNull();
    return response.tip!;
  };

  it('serves one of the user’s tasks with why, then the same tip until it ends', async () => {
    const user = await harness.connectedUser('serves', [
      { content: 'Pay rent', priority: 4, dueDate: '2026-11-01' },
      { content: 'Water the plants', priority: 1 },
      { content: 'Call the bank', priority: 2, dueDate: '2027-01-15' },
    ]);

    const first = await harness.recommend(user.userId);
    const tip = someTip(first);
    const task = user.tasks.find(({ taskId }) => taskId === tip.taskId);
    expect(task).toBeDefined();
    expect(tip).toMatchObject({
      title: task!.title,
      priority: task!.priority,
      due: task!.due,
      url: task!.url,
      source: 'todoist',
      policy: LIVE,
    });
    expect(first.policy).toBe(LIVE);
    expect(first.latencyMs).toBeGreaterThan(0);
    expect(tip.why.summary.length).toBeGreaterThan(0);
    // A model that has learned nothing decides from the starting belief (priority, then
    // overdue): those are the only terms it can name; with none above the others it says it
    // is still learning, and an exploration pick says it is one.
    expect(tip.why.kind).toBe(
      tip.explored ? 'exploration' : tip.why.reasons.length > 0 ? 'model' : 'learning',
    );
    for (const { term } of tip.why.reasons) expect(['priority', 'is_overdue']).toContain(term);

    const again = someTip(await harness.recommend(user.userId));
    expect(again).toEqual(tip);

    // The decision's log: the chosen task's features for the live policy and the shadow,
    // its propensity, seed and candidate count, and every candidate's scores for both.
    const row = await tipRow(tip.tipId);
    expect(row).toMatchObject({ task_id: tip.taskId, policy: LIVE, candidate_count: 3 });
    expect(row.features).toHaveLength(D5.columns.length);
    expect(row.shadow![SHADOW]).toHaveLength(policyRegistry.get(SHADOW)!.featureSet.columns.length);
    expect(Number(row.seed)).toBeGreaterThanOrEqual(0);
    expect(Number(row.seed)).toBeLessThan(2 ** 32);
    expect(row.latency_ms).toBeGreaterThan(0);
    expect(row.why).toEqual(tip.why);
    // The ε the scorer drew with, from its reply (not the recommender's own setting).
    expect(row.epsilon).toBe(EPSILON);
    expect(row.propensity).toBeCloseTo(tip.explored ? EPSILON / 3 : 1 - EPSILON + EPSILON / 3, 9);
    const scores = await tips.scoresOf(tip.tipId);
    // Exploration means "not the live policy's argmax", whatever the scorer's draw was.
    const liveBest = scores
      .filter(({ policy }) => policy === LIVE)
      .reduce((a, b) => (b.ucb > a.ucb || (b.ucb === a.ucb && b.taskId < a.taskId) ? b : a));
    expect(tip.explored).toBe(liveBest.taskId !== tip.taskId);
    expect(
      scores
        .filter(({ policy }) => policy === LIVE)
        .map(({ taskId }) => taskId)
        .sort(),
    ).toEqual(user.tasks.map(({ taskId }) => taskId).sort());
    expect(scores.filter(({ policy }) => policy === SHADOW)).toHaveLength(3);
    for (const score of scores) expect(score.ucb).toBeCloseTo(score.mean + score.bonus, 9);
    expect(scores.find((s) => s.policy === LIVE && s.taskId === tip.taskId)!.features).toEqual(
      row.features,
    );

    // One tip.served for the decision (none for serving it again), with the contract fields;
    // published after the answer, so looked for until it is there.
    await expectEventually(async () => expect(await served(user.userId)).toHaveLength(1));
    const events = await served(user.userId);
    // Published under the id the tip row promised (its outbox entry), and marked as published.
    expect(events[0]!.id).toBe(row.served_event_id);
    await expectEventually(async () =>
      expect((await tipRow(tip.tipId)).served_published_at).not.toBeNull(),
    );
    const shadowScores = scores.filter(({ policy }) => policy === SHADOW);
    const shadowBest = shadowScores.reduce((a, b) =>
      b.ucb > a.ucb || (b.ucb === a.ucb && b.taskId < a.taskId) ? b : a,
    );
    expect(events[0]!.data).toEqual({
      tipId: tip.tipId,
      taskId: tip.taskId,
      policy: LIVE,
      features: row.features,
      score: scores.find((s) => s.policy === LIVE && s.taskId === tip.taskId)!.ucb,
      propensity: row.propensity,
      candidates: 3,
      channel: 'web',
      shadow: [
        {
          policy: SHADOW,
          taskId: shadowBest.taskId,
          score: shadowBest.ucb,
          propensity: 1 - EPSILON + EPSILON / 3,
        },
      ],
    });

    // A reaction ends it (another module's job): the next request is a new decision.
    await tips.endTip(tip.tipId, 'done');
    const next = someTip(await harness.recommend(user.userId));
    expect(next.tipId).not.toBe(tip.tipId);
    await expectEventually(async () => expect(await served(user.userId)).toHaveLength(2));
  });

  it('explains a choice with the terms the user’s model learned, in words', async () => {
    const user = await harness.connectedUser('explains', [
      { content: 'File taxes', priority: 4 },
      { content: 'Tidy the desk', priority: 1 },
      { content: 'Sort photos', priority: 1 },
    ]);
    // The user has rewarded urgent tasks and dismissed normal ones (d5: hour, overdue, age, priority).
    const urgent = [0.5, 0.866, 0, 0.1, 1].map((value) => quantize(value));
    const normal = [0.5, 0.866, 0, 0.1, 0].map((value) => quantize(value));
    for (let i = 0; i < 15; i += 1) {
      await harness.publisher.publish(
        'tip.feedback',
        user.userId,
        tipFeedbackData({ features: urgent, reward: 1 }),
      );
      await harness.publisher.publish(
        'tip.feedback',
        user.userId,
        tipFeedbackData({ features: normal, reward: -1, action: 'dismiss' }),
      );
    }
    await expectEventually(async () => {
      const stats = await harness.rpc.call(RPC.scorer.stats, { userId: user.userId });
      expect(stats.n).toBe(30);
    });

    // Exploration may pick another task now and then; the model's pick is the urgent one.
    let tip = someTip(await harness.recommend(user.userId));
    while (tip.explored) {
      await tips.endTip(tip.tipId, 'done');
      tip = someTip(await harness.recommend(user.userId));
    }
    expect(tip.title).toBe('File taxes');
    expect(tip.why.kind).toBe('model');
    expect(tip.why.reasons[0]).toEqual({ term: 'priority', text: 'urgent' });
    expect(tip.why.summary).toMatch(/^Urgent/);
  });

  it('reads hour and overdue on the user’s own clock (profile’s time zone)', async () => {
    // 13:30 UTC on 2 December is 02:30 on 3 December in Auckland: a task due on the 2nd is
    // overdue there, not yet in UTC.
    const now = new Date('2026-12-02T13:30:00Z');
    const tasks = [{ content: 'Due on the 2nd', dueDate: '2026-12-02' }];
    const kiwi = await harness.connectedUser('auckland', tasks);
    await harness.rpc.call(RPC.profile.update, {
      userId: kiwi.userId,
      timezone: 'Pacific/Auckland',
    });
    const utc = await harness.connectedUser('utc', tasks);
    const d5 = (row: TipRow): Record<string, number> =>
      Object.fromEntries(D5.columns.map((column, j) => [column, row.features[j]!]));

    // A decision waits only briefly for profile (UTC when it is slow, as a cold process may
    // be); its answer is then cached, so the user's clock holds from the next decision on.
    await expectEventually(async () => {
      const tip = someTip(await harness.recommend(kiwi.userId, now));
      const features = d5(await tipRow(tip.tipId));
      await tips.endTip(tip.tipId, 'done');
      expect(features).toMatchObject({
        is_overdue: 1,
        hour_sin: quantize(Math.sin((2 * Math.PI * 2.5) / 24)),
      });
    });
    const greenwich = d5(await tipRow(someTip(await harness.recommend(utc.userId, now)).tipId));
    expect(greenwich).toMatchObject({
      is_overdue: 0,
      hour_sin: quantize(Math.sin((2 * Math.PI * 13.5) / 24)),
    });
  });

  it('never chooses a held task, and answers no tip when every task is held', async () => {
    const user = await harness.connectedUser('holds', [
      { content: 'One' },
      { content: 'Two' },
      { content: 'Three' },
    ]);
    const [kept, ...held] = user.tasks;
    const until = new Date(Date.now() + 3_600_000);
    for (const { taskId } of held) {
      await holds.hold({
        userId: user.userId,
        provider: 'todoist',
        taskId,
        until,
        reason: 'snooze',
      });
    }
    for (let round = 0; round < 5; round += 1) {
      const tip = someTip(await harness.recommend(user.userId));
      expect(tip.taskId).toBe(kept!.taskId);
      await tips.endTip(tip.tipId, 'dismiss');
    }
    await holds.hold({
      userId: user.userId,
      provider: 'todoist',
      taskId: kept!.taskId,
      until,
      reason: 'dismiss',
    });
    const nothing = await harness.recommend(user.userId);
    expect(nothing.tip).toBeNull();
    expect(nothing.policy).toBe(LIVE);
  });

  it('ends a tip whose task was deleted at Todoist as task_gone and chooses another', async () => {
    const user = await harness.connectedUser('gone', [
      { content: 'Soon gone' },
      { content: 'Stays' },
    ]);
    const first = someTip(await harness.recommend(user.userId));
    const bySync = () =>
      readMetric(
        harness.recommenderUrls[0]!,
        'oo_recommender_tips_ended_task_gone_total{via="sync"',
      );
    const endedBySync = await bySync();
    await harness.todoist.control.deleteTask(first.taskId);

    // integrations hears of it by webhook and reads Todoist again; the set it publishes
    // without the task ends the tip (serving it again does not ask integrations so soon).
    await expectEventually(async () =>
      expect(await tipRow(first.tipId)).toMatchObject({ end_reason: 'task_gone' }),
    );
    expect(await bySync()).toBeGreaterThan(endedBySync);
    const next = someTip(await harness.recommend(user.userId));
    expect(next.tipId).not.toBe(first.tipId);
    expect(next.taskId).not.toBe(first.taskId);
  });

  it('ends the open tip when a published set no longer holds its task, or the source is disconnected', async () => {
    const user = await harness.connectedUser('synced', [
      { content: 'Book the dentist' },
      { content: 'Renew the passport' },
    ]);
    const first = someTip(await harness.recommend(user.userId));
    const others = user.tasks.filter((task) => task.taskId !== first.taskId);
    // As integrations publishes a sync that no longer lists the task (moved, deleted, ...).
    await harness.publisher.publish('task.synced', user.userId, {
      source: 'todoist',
      tasks: others,
    });
    await expectEventually(async () =>
      expect(await tipRow(first.tipId)).toMatchObject({ end_reason: 'task_gone' }),
    );
    // (integrations itself still lists both: only this test said otherwise.)
    const second = someTip(await harness.recommend(user.userId));
    expect(second.tipId).not.toBe(first.tipId);

    // A set that still lists the task leaves its tip open; a disconnect ends it.
    await harness.publisher.publish('task.synced', user.userId, {
      source: 'todoist',
      tasks: user.tasks,
    });
    await consumerCaughtUp(harness.nats, 'recommender__task_synced');
    expect(await tipRow(second.tipId)).toMatchObject({ ended_at: null, end_reason: null });
    await harness.publisher.publish('integration.disconnected', user.userId, {
      provider: 'todoist',
    });
    await expectEventually(async () =>
      expect(await tipRow(second.tipId)).toMatchObject({ end_reason: 'task_gone' }),
    );
    expect(
      await readMetric(
        harness.recommenderUrls[0]!,
        'oo_recommender_tips_ended_task_gone_total{via="disconnect"',
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  describe('channel push', () => {
    const pushDecision = (userId: string, excludeTaskIds?: string[]) =>
      harness.rpc.call(
        RPC.recommender.recommend,
        { userId, channel: 'push', ...(excludeTaskIds ? { excludeTaskIds } : {}) },
        10_000,
      );
    const pushSent = (userId: string, tipId: string, status: 'sent' | 'failed') =>
      harness.publisher.publish('push.sent', userId, {
        tipId,
        endpointHash: 'a'.repeat(64),
        status,
      });
    const waiting = async (tipId: string): Promise<number> =>
      (await harness.sql.query('SELECT 1 FROM recommender.push_decision WHERE id = $1', [tipId]))
        .rowCount ?? 0;

    it('decides afresh each time, never the web tip, and honours excludeTaskIds', async () => {
      const user = await harness.connectedUser('push_fresh', [
        { content: 'Pay rent', priority: 4, dueDate: '2026-11-01' },
        { content: 'Water the plants', priority: 1 },
        { content: 'Call the bank', priority: 2 },
      ]);
      const web = someTip(await harness.recommend(user.userId));

      const first = someTip(await pushDecision(user.userId));
      expect(first.tipId).not.toBe(web.tipId);
      expect(first.taskId).not.toBe(web.taskId);
      const second = someTip(await pushDecision(user.userId, [first.taskId]));
      expect(second.tipId).not.toBe(first.tipId);
      expect([web.taskId, first.taskId]).not.toContain(second.taskId);
      // Every task excluded: nothing to push.
      const all = user.tasks.map(({ taskId }) => taskId);
      expect((await pushDecision(user.userId, all)).tip).toBeNull();
      // The web channel still serves its own open tip, and a push never picks its task.
      expect(someTip(await harness.recommend(user.userId)).tipId).toBe(web.tipId);
      const others = all.filter((taskId) => taskId !== web.taskId);
      expect((await pushDecision(user.userId, others)).tip).toBeNull();
    });

    it('serves a push decision only once a device accepted it, once, as tip.served on channel push', async () => {
      const user = await harness.connectedUser('push_sent', [
        { content: 'Book the dentist', priority: 3 },
      ]);
      const decided = someTip(await pushDecision(user.userId));
      // Not a tip yet: not served, not the user's to open.
      expect(await waiting(decided.tipId)).toBe(1);
      await expect(
        harness.rpc.call(RPC.recommender.tip, { userId: user.userId, tipId: decided.tipId }, 5_000),
      ).rejects.toMatchObject({ code: 'not_found' });

      await pushSent(user.userId, decided.tipId, 'failed');
      await pushSent(user.userId, decided.tipId, 'sent');
      await pushSent(user.userId, decided.tipId, 'sent');

      await expectEventually(async () => expect(await served(user.userId)).toHaveLength(1));
      const [event] = await served(user.userId);
      expect(event!.data).toMatchObject({
        tipId: decided.tipId,
        taskId: decided.taskId,
        channel: 'push',
        candidates: 1,
      });
      expect(await waiting(decided.tipId)).toBe(0);
      const { tip } = await harness.rpc.call(
        RPC.recommender.tip,
        { userId: user.userId, tipId: decided.tipId },
        5_000,
      );
      expect(tip).toMatchObject({ tipId: decided.tipId, title: 'Book the dentist' });
      // The second `sent` (another device, a redelivery) served nothing more.
      await consumerCaughtUp(harness.nats, 'recommender__push_sent');
      expect(await served(user.userId)).toHaveLength(1);
    });

    it('discards a decision no device accepted: never served, never rewarded', async () => {
      const user = await harness.connectedUser('push_unsent', [
        { content: 'Renew passport', priority: 2 },
      ]);
      const decided = someTip(await pushDecision(user.userId));
      const sweeper = harness.recommenders[0]!.app.get(PushDecisionSweeper);

      expect(await sweeper.sweep(new Date())).toBe(0);
      expect(
        await sweeper.sweep(new Date(Date.now() + PUSH_DECISION_TTL_MS + 1_000)),
      ).toBeGreaterThanOrEqual(1);
      expect(await waiting(decided.tipId)).toBe(0);
      // A confirmation arriving after that serves nothing.
      await pushSent(user.userId, decided.tipId, 'sent');
      await consumerCaughtUp(harness.nats, 'recommender__push_sent');
      expect(await served(user.userId)).toEqual([]);
      const rows = await harness.sql.query('SELECT 1 FROM recommender.tip WHERE user_id = $1', [
        user.userId,
      ]);
      expect(rows.rowCount).toBe(0);
    });
  });

  it('publishes a tip.served that never reached JetStream later, under its own id, once', async () => {
    // A decision logged by an instance that crashed before publishing it.
    const userId = `crashed_${randomUUID().slice(0, 8)}`;
    const servedEventId = uuidv7();
    const live = (taskId: string, ucb: number) => ({
      policy: LIVE,
      taskId,
      features: [0, 1, 0, 0.5, 1],
      mean: ucb - 0.5,
      bonus: 0.5,
      ucb,
    });
    const shadow = (taskId: string, ucb: number) => ({
      policy: SHADOW,
      taskId,
      features: Array.from({ length: 11 }, () => 0.25),
      mean: ucb - 0.25,
      bonus: 0.25,
      ucb,
    });
    const { tip } = await tips.createTip({
      userId,
      channel: 'web',
      taskId: 't1',
      provider: 'todoist',
      title: 'Logged, never announced',
      priority: 3,
      due: null,
      url: null,
      policy: LIVE,
      propensity: 1 - EPSILON + EPSILON / 2,
      features: [0, 1, 0, 0.5, 1],
      shadow: { [SHADOW]: Array.from({ length: 11 }, () => 0.25) },
      seed: 42n,
      candidateCount: 2,
      latencyMs: 3,
      servedAt: new Date(Date.now() - 60_000),
      scores: [live('t1', 0.9), live('t2', 0.4), shadow('t1', 0.3), shadow('t2', 0.7)],
      servedEventId,
    });
    const recommender = harness.recommenders[0]!.app.get(RecommendService);

    expect(await recommender.publishPendingServed(new Date())).toBeGreaterThanOrEqual(1);
    const events = await served(userId);
    expect(events.map(({ id }) => id)).toEqual([servedEventId]);
    expect(events[0]!.data).toEqual({
      tipId: tip.id,
      taskId: 't1',
      policy: LIVE,
      features: [0, 1, 0, 0.5, 1],
      score: 0.9,
      propensity: 1 - EPSILON + EPSILON / 2,
      candidates: 2,
      channel: 'web',
      // Logged without its ε (as before the scorer said it): the configured one stands in.
      shadow: [
        {
          policy: SHADOW,
          taskId: 't2',
          score: 0.7,
          propensity: 1 - STALE_EPSILON + STALE_EPSILON / 2,
        },
      ],
    });
    expect((await tipRow(tip.id)).served_published_at).not.toBeNull();
    // Published and marked: the next pass leaves it alone.
    await recommender.publishPendingServed(new Date());
    expect(await served(userId)).toHaveLength(1);
  });

  it('dead-letters a tip.served that breaks its contract with the reason, and never retries it', async () => {
    // A logged decision whose event can never be valid (a propensity of 0).
    const userId = `invalid_${randomUUID().slice(0, 8)}`;
    const { tip } = await tips.createTip({
      userId,
      channel: 'web',
      taskId: 't1',
      provider: 'todoist',
      title: 'Logged, unpublishable',
      priority: 3,
      due: null,
      url: null,
      policy: 'random',
      propensity: 0,
      features: [0, 1, 0, 0.5, 1],
      shadow: null,
      seed: 7n,
      candidateCount: 2,
      latencyMs: 3,
      servedAt: new Date(Date.now() - 60_000),
      servedEventId: uuidv7(),
    });
    const recommender = harness.recommenders[0]!.app.get(RecommendService);
    const lettersOf = async () =>
      (await readDeadLetters(harness.nats)).filter(
        ({ originalSubject }) => originalSubject === `signals.tip.served.${userId}`,
      );

    await recommender.publishPendingServed(new Date());
    const letters = await lettersOf();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      subject: `deadletter.recommender.signals.tip.served.${userId}`,
      kind: 'unpublishable',
    });
    expect(letters[0]!.reason).toMatch(/data\.propensity/);
    expect(JSON.parse(letters[0]!.body)).toMatchObject({ data: { tipId: tip.id, propensity: 0 } });
    const row = await tipRow(tip.id);
    expect(row.served_publish_error).toMatch(/data\.propensity/);
    expect(row.served_published_at).toBeNull();

    // Marked: later passes leave it alone; nothing reached SIGNALS.
    await recommender.publishPendingServed(new Date());
    expect(await lettersOf()).toHaveLength(1);
    expect(await served(userId)).toHaveLength(0);
  });

  it('answers before JetStream acks tip.served, and a clean stop waits for the publish', async () => {
    const user = await harness.connectedUser('stopping', [{ content: 'One' }, { content: 'Two' }]);
    const stopping = await harness.startRecommender({ SCORER_EPSILON: String(STALE_EPSILON) });
    // JetStream held back for this instance: its publishes wait until the gate opens.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const publisher = stopping.app.get(EventPublisher);
    const publish = publisher.publish.bind(publisher);
    publisher.publish = (async (...args: Parameters<typeof publish>) => {
      await gate;
      return publish(...args);
    }) as typeof publisher.publish;
    const service = stopping.app.get(RecommendService);

    const tip = someTip(await service.recommend({ userId: user.userId, channel: 'web' }));
    // Answered while the event is still unpublished: the row is its outbox entry.
    expect((await tipRow(tip.tipId)).served_published_at).toBeNull();

    // Stopping waits for the publish in flight instead of leaving it to the relay (which
    // would wait 30 s before touching the tip).
    let drained = false;
    const draining = service.beforeApplicationShutdown().then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    open();
    await draining;
    expect((await tipRow(tip.tipId)).served_published_at).not.toBeNull();
    expect((await served(user.userId)).map(({ data }) => data.tipId)).toEqual([tip.tipId]);
    await stopping.stop();
  });

  it('serves the open tip again without waiting for integrations', async () => {
    const user = await harness.connectedUser('paused', [{ content: 'Read the lease' }]);
    const first = someTip(await harness.recommend(user.userId));
    // integrations stalled: a re-serve that asked it would wait its 2 s and answer unavailable.
    harness.integrations.kill('SIGSTOP');
    try {
      const again = await harness.recommend(user.userId);
      expect(again.tip?.tipId).toBe(first.tipId);
      expect(again.latencyMs).toBeLessThan(1_000);
    } finally {
      harness.integrations.kill('SIGCONT');
    }
  });

  it('asks integrations once the task was not seen open for a while, and ends the tip if it is gone there', async () => {
    const user = await harness.connectedUser('rechecked', [{ content: 'Fix the tap' }]);
    // An instance that asks on every re-serve (the interval passed), called directly.
    const checking = await harness.startRecommender({
      RECOMMENDER_OPEN_TASK_RECHECK_SECONDS: '0',
      SCORER_EPSILON: String(STALE_EPSILON),
    });
    const checkingUrl = harness.recommenderUrls.at(-1)!;
    const service = checking.app.get(RecommendService);
    const first = someTip(await service.recommend({ userId: user.userId, channel: 'web' }));

    // integrations now says the task is gone, and no event says so (the real one paused; a
    // stand-in on its subject answers the user's tasks as none).
    harness.integrations.kill('SIGSTOP');
    const standIn = harness.nats.nc.subscribe(harness.nats.topology.wire(RPC.integrations.tasks), {
      callback: (_error, message) => {
        const { id } = message.json<{ id: string }>();
        message.respond(
          JSON.stringify({
            id,
            isDisposed: true,
            response: { tasks: [], syncedAt: new Date().toISOString(), status: 'ok' },
          }),
        );
      },
    });
    try {
      const next = await service.recommend({ userId: user.userId, channel: 'web' });
      expect(next.tip).toBeNull();
      expect(await tipRow(first.tipId)).toMatchObject({ end_reason: 'task_gone' });
      expect(
        await readMetric(checkingUrl, 'oo_recommender_tips_ended_task_gone_total{via="check"'),
      ).toBe(1);
    } finally {
      standIn.unsubscribe();
      harness.integrations.kill('SIGCONT');
      await checking.stop();
    }
  });

  it('answers no tip for a user with no task app connected', async () => {
    const response = await harness.recommend('nobody_connected');
    expect(response.tip).toBeNull();
    expect(response.policy).toBe(LIVE);
  });

  it('answers a malformed request with invalid_request naming the field', async () => {
    await expect(
      harness.rpc.call(RPC.recommender.recommend, {
        userId: 'u1',
        channel: 'fax' as 'web',
      }),
    ).rejects.toMatchObject({ code: 'invalid_request', field: 'channel' });
  });

  it('rpc.recommender.tip gives the user’s own tip and not_found for anyone else', async () => {
    const user = await harness.connectedUser('own', [{ content: 'Mine' }]);
    const tip = someTip(await harness.recommend(user.userId));
    expect(
      await harness.rpc.call(RPC.recommender.tip, { userId: user.userId, tipId: tip.tipId }),
    ).toEqual({
      tip,
    });
    await expect(
      harness.rpc.call(RPC.recommender.tip, { userId: 'someone_else', tipId: tip.tipId }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'tipId' });
  });

  describe('when the scorer does not answer in time', () => {
    const randomTipOf = async (label: string): Promise<{ userId: string; row: TipRow }> => {
      const user = await harness.connectedUser(label, [
        { content: 'A' },
        { content: 'B' },
        { content: 'C' },
        { content: 'D' },
      ]);
      const response = await harness.recommend(user.userId);
      const tip = someTip(response);
      expect(tip.policy).toBe('random');
      expect(response.policy).toBe('random');
      expect(tip.explored).toBe(true);
      expect(tip.why.kind).toBe('exploration');
      expect(response.latencyMs).toBeGreaterThan(0);
      const row = await tipRow(tip.tipId);
      expect(row).toMatchObject({
        policy: 'random',
        propensity: 0.25,
        candidate_count: 4,
        epsilon: null,
      });
      expect(row.latency_ms).toBeGreaterThan(0);
      // The live and shadow features of the chosen task are logged: feedback on it teaches the live model.
      expect(row.features).toHaveLength(D5.columns.length);
      expect(Object.keys(row.shadow!)).toEqual([SHADOW]);
      await expectEventually(async () =>
        expect((await served(user.userId)).map((event) => event.data)).toEqual([
          expect.objectContaining({
            policy: 'random',
            propensity: 0.25,
            candidates: 4,
            shadow: [],
          }),
        ]),
      );
      return { userId: user.userId, row };
    };

    it('the random policy decides when the scorer is down', async () => {
      await harness.stopScorer();
      await randomTipOf('scorer_down');
      expect(
        await readMetric(
          harness.recommenderUrls[0]!,
          'oo_recommender_scorer_fallbacks_total{reason="no_responders"',
        ),
      ).toBeGreaterThanOrEqual(1);
    });

    it('the random policy decides when the scorer answers later than the deadline', async () => {
      // A stand-in scorer on the scorer's subject that answers correctly, but three deadlines late.
      const late = harness.nats.nc.subscribe(harness.nats.topology.wire(RPC.scorer.score), {
        callback: (_error, message) => {
          const { data, id } = message.json<{
            data: { candidates: { id: string }[] };
            id: string;
          }>();
          setTimeout(() => {
            const ids = data.candidates.map((candidate) => candidate.id);
            message.respond(
              JSON.stringify({
                id,
                isDisposed: true,
                response: {
                  chosen: ids[0],
                  propensity: 1,
                  policy: LIVE,
                  n: 0,
                  scores: ids.map((candidate) => ({ id: candidate, mean: 0, bonus: 0, ucb: 0 })),
                },
              }),
            );
          }, 3 * SCORER_DEADLINE_MS);
        },
      });
      try {
        await randomTipOf('scorer_late');
        expect(
          await readMetric(
            harness.recommenderUrls[0]!,
            'oo_recommender_scorer_fallbacks_total{reason="timeout"',
          ),
        ).toBeGreaterThanOrEqual(1);
      } finally {
        late.unsubscribe();
      }
    });
  });
});
