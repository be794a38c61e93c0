import { randomBytes } from 'node:crypto';
import { createEnvelope, type Envelope, type TipFeedbackV1 } from '@oo/contracts';
import type { TaskInput } from '@oo/local-todoist';
import { expectEventually, readDeadLetters, tipFeedbackData } from '@oo/testing';
import { CLOSE_ON_DONE_CONSUMER } from '../src/close/close-on-done.js';
import { TaskSyncCoordinator } from '../src/sync/task-sync.coordinator.js';
import {
  startIntegrationsHarness,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

/** The durable the service reads `signals.tip.feedback.*` with. */
const DURABLE = 'integrations__tip_feedback';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * "Done" on a tip closes its task at Todoist, once: the service on real NATS, Redis and
 * Postgres, the local Todoist as its own process, feedback published as the recommender does.
 */
describe('done on a tip closes the task at Todoist', () => {
  let harness: IntegrationsHarness;

  beforeAll(async () => {
    harness = await startIntegrationsHarness('integrations_close');
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  /** A user connected to Todoist with these tasks, synced once (so oO knows them, as a tip would). */
  const connectedUser = (label: string, tasks: TaskInput[]) =>
    harness.connectUser(label, tasks, { sync: true });

  function feedback(
    userId: string,
    taskId: string,
    overrides: Partial<TipFeedbackV1> = {},
  ): Envelope<'tip.feedback'> {
    return createEnvelope('tip.feedback', userId, tipFeedbackData({ taskId, ...overrides }));
  }

  /** Publishes and waits until the service has settled the message (acked or dead-lettered). */
  async function deliver(event: Envelope<'tip.feedback'>, msgID = event.id): Promise<void> {
    const { seq } = await harness.nats.js.publish(
      harness.nats.topology.wire(`signals.tip.feedback.${event.userId}`),
      JSON.stringify(event),
      { msgID },
    );
    await settled(seq);
  }

  async function settled(seq: number): Promise<void> {
    await expectEventually(
      async () => {
        const info = await harness.nats.jsm.consumers.info(
          harness.nats.topology.signalsStream,
          DURABLE,
        );
        expect(info.ack_floor.stream_seq).toBeGreaterThanOrEqual(seq);
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
  }

  /** `POST /tasks/{id}/close` requests the local Todoist answered, with their status. */
  async function closeRequests(taskId: string): Promise<number[]> {
    return (await harness.todoist.control.requests())
      .filter((r) => r.method === 'POST' && r.path === `/api/v1/tasks/${taskId}/close`)
      .map((r) => r.status);
  }

  const taskCompletedOf = (userId: string) => harness.taskCompletedOf(userId);

  const deadLettersOfThisConsumer = async () =>
    (await readDeadLetters(harness.nats)).filter((letter) => letter.consumer === DURABLE);

  it('closes the task at Todoist once, publishes one task.completed via oo, and stops offering it — a redelivery changes nothing', async () => {
    const user = await connectedUser('done', [{ content: 'Pay rent' }, { content: 'Call mum' }]);
    const [taskId, otherId] = user.taskIds as [string, string];
    const event = feedback(user.userId, taskId);

    await harness.publisher.publishEnvelope(event);

    await expectEventually(async () =>
      expect((await harness.todoist.control.task(taskId))?.checked).toBe(true),
    );
    await expectEventually(async () => expect(await taskCompletedOf(user.userId)).toHaveLength(1));
    const [completed] = await taskCompletedOf(user.userId);
    expect(completed!.data).toEqual({
      source: 'todoist',
      taskId,
      completedAt: event.occurredAt,
      via: 'oo',
    });
    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect((await harness.todoist.control.task(otherId))?.checked).toBe(false);
    // The next tip is drawn from a set without it.
    await expectEventually(
      async () => {
        const { tasks } = await harness.rpc.call('rpc.integrations.tasks', { userId: user.userId });
        expect(tasks.map((task) => task.taskId)).toEqual([otherId]);
      },
      { timeoutMs: 20_000 },
    );

    // The same envelope again, past the stream's dedupe (another Nats-Msg-Id): a redelivery.
    await deliver(event, `${event.id}-again`);

    expect(await closeRequests(taskId)).toEqual([204]);
    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect(await taskCompletedOf(user.userId)).toHaveLength(1);
    expect(
      await harness.prisma.processedEvent.count({
        where: { consumer: CLOSE_ON_DONE_CONSUMER, eventId: event.id },
      }),
    ).toBe(1);
  });

  it('closes once when copies of the event are handled at the same time', async () => {
    // Recurring: each close Todoist acted on would move the due again and count a completion.
    const user = await connectedUser('copies', [
      { content: 'Water plants', dueDate: today(), dueString: 'every day' },
    ]);
    const [taskId] = user.taskIds as [string];
    const event = feedback(user.userId, taskId);

    const subject = harness.nats.topology.wire(`signals.tip.feedback.${user.userId}`);
    const acks = await Promise.all(
      ['a', 'b', 'c'].map((copy) =>
        harness.nats.js.publish(subject, JSON.stringify(event), { msgID: `${event.id}-${copy}` }),
      ),
    );
    await settled(Math.max(...acks.map((ack) => ack.seq)));

    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect(await taskCompletedOf(user.userId)).toHaveLength(1);
  });

  it('closes once when two different done events for one recurring task are handled at the same time (a double tap)', async () => {
    const user = await connectedUser('doubletap', [
      { content: 'Feed the cat', dueDate: today(), dueString: 'every day' },
    ]);
    const [taskId] = user.taskIds as [string];
    const before = (await harness.todoist.control.task(taskId))!.due!.date;
    // Two reactions, two event ids (two tips for the task, or one tapped twice).
    const events = [feedback(user.userId, taskId), feedback(user.userId, taskId)];

    const subject = harness.nats.topology.wire(`signals.tip.feedback.${user.userId}`);
    const acks = await Promise.all(
      events.map((event) =>
        harness.nats.js.publish(subject, JSON.stringify(event), { msgID: event.id }),
      ),
    );
    await settled(Math.max(...acks.map((ack) => ack.seq)));

    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    const tomorrow = new Date(Date.parse(`${before}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect((await harness.todoist.control.task(taskId))?.due?.date).toBe(tomorrow);
    expect(await taskCompletedOf(user.userId)).toHaveLength(1);
    expect(await deadLettersOfThisConsumer()).toEqual([]);
  });

  it('a redelivery after a crash between the close and its record sends the same X-Request-Id: Todoist closes once', async () => {
    const user = await connectedUser('crash', [
      { content: 'Take vitamins', dueDate: today(), dueString: 'every day' },
    ]);
    const [taskId] = user.taskIds as [string];
    const event = feedback(user.userId, taskId);
    await deliver(event);
    const movedTo = (await harness.todoist.control.task(taskId))?.due?.date;
    expect(movedTo! > today()).toBe(true);
    // As if the process died after Todoist closed the task: neither the completion nor the
    // event's mark was written.
    await harness.prisma.taskCompletion.deleteMany({ where: { userId: user.userId } });
    await harness.prisma.processedEvent.deleteMany({ where: { eventId: event.id } });

    await deliver(event, `${event.id}-redelivered`);

    expect(await closeRequests(taskId)).toEqual([204, 204]);
    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect((await harness.todoist.control.task(taskId))?.due?.date).toBe(movedTo);
    expect(await taskCompletedOf(user.userId)).toHaveLength(1);
  });

  it('a redelivery after a crash between the close and its record closes nothing more, even after a sync moved the task to its next date', async () => {
    const user = await connectedUser('crashsync', [
      { content: 'Floss', dueDate: today(), dueString: 'every day' },
    ]);
    const [taskId] = user.taskIds as [string];
    const event = feedback(user.userId, taskId);
    await deliver(event);
    const movedTo = (await harness.todoist.control.task(taskId))?.due?.date;
    // As if the process died after Todoist closed the task, then a sync ran before the
    // redelivery: it sees the next date (and reconcile counts the completed one).
    await harness.prisma.taskCompletion.deleteMany({ where: { userId: user.userId } });
    await harness.prisma.processedEvent.deleteMany({ where: { eventId: event.id } });
    await harness.instance.app.get(TaskSyncCoordinator).syncNow(user.userId);

    await deliver(event, `${event.id}-redelivered`);

    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect((await harness.todoist.control.task(taskId))?.due?.date).toBe(movedTo);
    expect(await taskCompletedOf(user.userId)).toHaveLength(1);
  });

  it('retries while Todoist answers 503 and closes once when it is back', async () => {
    const user = await connectedUser('flaky', [{ content: 'Book dentist' }]);
    const [taskId] = user.taskIds as [string];
    // Every attempt of the first delivery (the client tries 3 times) fails: the event is
    // nak'ed and its redelivery closes.
    await harness.todoist.control.failNext(3);

    await deliver(feedback(user.userId, taskId));

    expect(await closeRequests(taskId)).toEqual([503, 503, 503, 204]);
    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect(await taskCompletedOf(user.userId)).toHaveLength(1);
    expect(await deadLettersOfThisConsumer()).toEqual([]);
  });

  it('closes a recurring task once: it stays open with its due moved forward, one task.completed', async () => {
    const user = await connectedUser('recurring', [
      { content: 'Stretch', dueDate: today(), dueString: 'every day' },
    ]);
    const [taskId] = user.taskIds as [string];
    const event = feedback(user.userId, taskId);

    await deliver(event);
    await deliver(event, `${event.id}-again`);

    const task = await harness.todoist.control.task(taskId);
    expect(task?.checked).toBe(false);
    expect(task!.due!.date > today()).toBe(true);
    expect(await harness.todoist.control.completionCount(taskId)).toBe(1);
    expect(await closeRequests(taskId)).toEqual([204]);
    const completions = await taskCompletedOf(user.userId);
    expect(completions).toHaveLength(1);
    expect(completions[0]!.data).toMatchObject({ taskId, via: 'oo' });
    const [row] = await harness.prisma.taskCompletion.findMany({ where: { userId: user.userId } });
    expect(row).toMatchObject({ completionKey: `due:${today()}`, via: 'oo' });
  });

  it('closes nothing for another action or a done oO reported itself (webhook, reconcile, expiry)', async () => {
    const user = await connectedUser('notdone', [{ content: 'Read a chapter' }]);
    const [taskId] = user.taskIds as [string];

    for (const overrides of [
      { action: 'dismiss', reward: -1 },
      { action: 'snooze', reward: 0 },
      { source: 'webhook' },
      { source: 'reconcile' },
      { source: 'expiry' },
    ] as const) {
      await deliver(feedback(user.userId, taskId, overrides));
    }

    expect(await closeRequests(taskId)).toEqual([]);
    expect((await harness.todoist.control.task(taskId))?.checked).toBe(false);
    expect(await taskCompletedOf(user.userId)).toEqual([]);
  });

  it('acks a done from a user without a Todoist connection, and does nothing', async () => {
    const userId = `unconnected_${randomBytes(4).toString('hex')}`;
    const requestsBefore = (await harness.todoist.control.requests()).length;

    await deliver(feedback(userId, 'some-task'));

    expect((await harness.todoist.control.requests()).length).toBe(requestsBefore);
    expect(await taskCompletedOf(userId)).toEqual([]);
    expect(await deadLettersOfThisConsumer()).toEqual([]);
  });

  it('on a task deleted at Todoist meanwhile (404): acks, counts no completion', async () => {
    const user = await connectedUser('deleted', [{ content: 'Old chore' }]);
    const [taskId] = user.taskIds as [string];
    await harness.todoist.control.deleteTask(taskId);

    await deliver(feedback(user.userId, taskId));

    expect(await closeRequests(taskId)).toEqual([404]);
    expect(await taskCompletedOf(user.userId)).toEqual([]);
    expect(await deadLettersOfThisConsumer()).toEqual([]);
  });

  it('on a token Todoist refuses (401): marks the connection needs_reconnect and acks', async () => {
    const user = await connectedUser('refused', [{ content: 'Renew passport' }]);
    const [taskId] = user.taskIds as [string];
    // The stored token is replaced with one Todoist never issued.
    await harness.connections.replaceTokens(user.userId, 'todoist', {
      accessToken: `never-issued-${randomBytes(12).toString('hex')}`,
      refreshToken: null,
      accessTokenExpiresAt: null,
    });
    const event = feedback(user.userId, taskId);

    await deliver(event);
    await deliver(event, `${event.id}-again`);

    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe(
      'needs_reconnect',
    );
    expect((await harness.todoist.control.task(taskId))?.checked).toBe(false);
    const refused = (await harness.todoist.control.requests()).filter(
      (r) => r.method === 'POST' && r.path === `/api/v1/tasks/${taskId}/close`,
    );
    expect(refused.map((r) => r.status)).toEqual([401]);
    expect(await taskCompletedOf(user.userId)).toEqual([]);
    expect(await deadLettersOfThisConsumer()).toEqual([]);
  });

  it('on a close Todoist forbids (403, a task the user may not close): acks, counts nothing, keeps the connection and its token', async () => {
    const user = await connectedUser('forbidden', [{ content: 'Shared chore' }]);
    const [taskId] = user.taskIds as [string];
    const stored = (await harness.connections.readTokens(user.userId, 'todoist'))!;
    // A refresh token on file: a 403 taken for an expired token would spend it.
    await harness.connections.replaceTokens(user.userId, 'todoist', {
      accessToken: stored.accessToken,
      refreshToken: `refresh-${randomBytes(12).toString('hex')}`,
      accessTokenExpiresAt: null,
    });
    const tokenRequestsBefore = (await harness.todoist.control.requests()).filter(
      (r) => r.path === '/oauth/access_token',
    ).length;
    await harness.todoist.control.failNext(1, { status: 403 });

    await deliver(feedback(user.userId, taskId));

    expect(await closeRequests(taskId)).toEqual([403]);
    expect(
      (await harness.todoist.control.requests()).filter((r) => r.path === '/oauth/access_token'),
    ).toHaveLength(tokenRequestsBefore);
    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe('ok');
    expect((await harness.todoist.control.task(taskId))?.checked).toBe(false);
    expect(await taskCompletedOf(user.userId)).toEqual([]);
    expect(await deadLettersOfThisConsumer()).toEqual([]);
  });

  it('does not close a completion another path already counted (a recurring date done in Todoist)', async () => {
    const user = await connectedUser('counted', [
      { content: 'Journal', dueDate: today(), dueString: 'every day' },
    ]);
    const [taskId] = user.taskIds as [string];
    // A webhook already counted today's occurrence; oO's snapshot still shows today's due.
    await harness.prisma.taskCompletion.create({
      data: {
        userId: user.userId,
        provider: 'todoist',
        taskId,
        completionKey: `due:${today()}`,
        via: 'webhook',
        completedAt: new Date(),
        publishedAt: new Date(),
      },
    });

    await deliver(feedback(user.userId, taskId));

    expect(await closeRequests(taskId)).toEqual([]);
    expect((await harness.todoist.control.task(taskId))?.due?.date).toBe(today());
    expect(await taskCompletedOf(user.userId)).toEqual([]);
  });

  it('dead-letters an invalid feedback event with the reason', async () => {
    const user = await connectedUser('invalid', [{ content: 'Anything' }]);
    const bad = feedback(user.userId, user.taskIds[0]!, { action: 'finished' as 'done' });

    await harness.nats.js.publish(
      harness.nats.topology.wire(`signals.tip.feedback.${user.userId}`),
      JSON.stringify(bad),
      { msgID: bad.id },
    );

    const letters = await expectEventually(async () => {
      const found = await deadLettersOfThisConsumer();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letters[0]).toMatchObject({ kind: 'invalid_schema' });
    expect(letters[0]!.reason).toMatch(/action/);
    expect(await closeRequests(user.taskIds[0]!)).toEqual([]);
  });
});
