import { createEnvelope, validateEnvelope, type Envelope, type SyncedTask } from '@oo/contracts';
import type { TaskInput } from '@oo/local-todoist';
import { expectEventually, tipFeedbackData } from '@oo/testing';
import {
  startIntegrationsHarness,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

/** The schema's longest title; 5,000 of them are ~11 MB of JSON, ten times NATS's default. */
const LONGEST_TITLE = 2000;
const URGENT_DUE = 50;

/**
 * A user whose open tasks do not fit in one NATS message still gets `task.synced` and an
 * `rpc.integrations.tasks` reply, with the tasks that matter most — real NATS (its own
 * `max_payload`), Redis, Postgres and the local Todoist.
 */
describe('a task set larger than one NATS message', () => {
  let harness: IntegrationsHarness;

  beforeAll(async () => {
    harness = await startIntegrationsHarness('integrations_payload', { todoist: 'in-process' });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('publishes task.synced and answers the RPC for 5,000 tasks of 2,000-character titles, keeping the urgent due ones', async () => {
    const maxPayload = harness.nats.nc.info?.max_payload;
    expect(maxPayload).toBeGreaterThan(0);
    // The backlog: normal priority, no date, the longest titles the schema allows.
    const backlog: TaskInput[] = Array.from({ length: 5000 - URGENT_DUE }, (_, i) => ({
      content: `${i} ${'Backlog idea, written out at length. '.repeat(60)}`.slice(0, LONGEST_TITLE),
    }));
    // What the user must not lose: urgent, due this week, listed last by Todoist.
    const urgent: TaskInput[] = Array.from({ length: URGENT_DUE }, (_, i) => ({
      content: `Urgent ${i} ${'x'.repeat(LONGEST_TITLE)}`.slice(0, LONGEST_TITLE),
      priority: 4,
      dueDate: `2026-12-0${(i % 7) + 1}`,
    }));
    const { userId, taskIds } = await harness.connectUser('payload', [...backlog, ...urgent]);
    const urgentIds = taskIds.slice(backlog.length);

    const answer = await harness.rpc.call('rpc.integrations.tasks', { userId }, 60_000);

    expect(answer.status).toBe('ok');
    expect(answer.tasks.length).toBeGreaterThan(URGENT_DUE);
    expect(answer.tasks.length).toBeLessThan(5000);
    expect(answer.tasks.map((task) => task.taskId)).toEqual(expect.arrayContaining(urgentIds));
    expect(answer.tasks.every((task) => task.title.length === LONGEST_TITLE)).toBe(true);

    const stored = await harness.nats.jsm.streams.getMessage(harness.nats.topology.signalsStream, {
      last_by_subj: harness.nats.topology.wire(`signals.task.synced.${userId}`),
    });
    expect(stored).not.toBeNull();
    expect(stored!.data.length).toBeLessThanOrEqual(maxPayload!);
    const event = stored!.json<Envelope<'task.synced'>>();
    expect(validateEnvelope(event, `signals.task.synced.${userId}`).ok).toBe(true);
    expect(event.data.tasks.map((task) => task.taskId).sort()).toEqual(
      answer.tasks.map((task) => task.taskId).sort(),
    );
  }, 120_000);

  it('keeps every open task in the snapshot, caps only the reply, and closes a done task left out of it', async () => {
    const maxPayload = harness.nats.nc.info!.max_payload;
    // Twice what one message holds, well under MAX_SYNCED_TASKS.
    const count = Math.ceil((2 * maxPayload) / LONGEST_TITLE);
    const inputs: TaskInput[] = Array.from({ length: count }, (_, i) => ({
      content: `${i} ${'Something to do some day. '.repeat(80)}`.slice(0, LONGEST_TITLE),
    }));
    const { userId, taskIds: ids } = await harness.connectUser('beyond_cap', inputs);

    const answer = await harness.rpc.call('rpc.integrations.tasks', { userId }, 60_000);

    expect(answer.status).toBe('ok');
    expect(answer.tasks.length).toBeGreaterThan(0);
    expect(answer.tasks.length).toBeLessThan(count);
    const snapshot = await harness.prisma.taskSnapshot.findUniqueOrThrow({
      where: { userId_provider: { userId, provider: 'todoist' } },
    });
    const stored = (snapshot.tasks as unknown as SyncedTask[]).map((task) => task.taskId);
    expect(stored.sort()).toEqual([...ids].sort());

    // "Done" on a task the reply had no room for: it is still open, so it closes at Todoist.
    const shown = new Set(answer.tasks.map((task) => task.taskId));
    const leftOut = ids.find((id) => !shown.has(id))!;
    await harness.publisher.publishEnvelope(
      createEnvelope('tip.feedback', userId, tipFeedbackData({ taskId: leftOut })),
    );
    await expectEventually(
      async () => expect((await harness.todoist.control.task(leftOut))?.checked).toBe(true),
      { timeoutMs: 30_000 },
    );
  }, 120_000);
});
