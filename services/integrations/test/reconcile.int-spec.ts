import { webhookSignature, type TaskInput } from '@oo/local-todoist';
import { expectEventually } from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { ReconcileScheduler } from '../src/reconcile/reconcile.scheduler.js';
import { SWEEP_LEASE_KEY, SweepLease } from '../src/reconcile/sweep-lease.js';
import { TaskSyncCoordinator } from '../src/sync/task-sync.coordinator.js';
import { TodoistRateBudget } from '../src/todoist/rate-budget.js';
import { todoistKeys } from '../src/todoist/todoist-keys.js';
import {
  startIntegrationsHarness,
  TEST_CLIENT as CLIENT,
  type ConnectedUser,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

/** Nothing listens there: deliveries that are not dropped fail, none reaches oO. */
const WEBHOOK_URL = 'http://127.0.0.1:9/webhooks/todoist';

const today = () => new Date().toISOString().slice(0, 10);
const plain = (content: string): TaskInput => ({ content, addedAt: '2026-11-01T09:00:00Z' });

/**
 * Reconcile: completions whose webhook was lost reach `signals.task.completed` through the
 * next sync, or the periodic sweep — real NATS, Redis and Postgres, the local Todoist as its
 * own process.
 */
describe('reconcile', () => {
  let harness: IntegrationsHarness;

  beforeAll(async () => {
    // The default interval: this instance sweeps nowhere near a test's length.
    harness = await startIntegrationsHarness('integrations_reconcile', { webhookUrl: WEBHOOK_URL });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const connectedUser = (label: string, tasks: TaskInput[]) => harness.connectUser(label, tasks);

  /** The user completes a task in Todoist, and Todoist's webhook for it is lost. */
  async function completeWithWebhookDropped(user: ConnectedUser, taskId: string): Promise<void> {
    await harness.todoist.control.dropNextWebhooks(1);
    const closed = await fetch(`${harness.todoist.apiUrl}/tasks/${taskId}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(closed.status).toBe(204);
    await harness.todoist.control.dropNextWebhooks(0);
    const sent = (await harness.todoist.control.deliveries()).filter(
      (d) => d.userId === user.todoistUserId,
    );
    expect(sent.at(-1)?.status).toBe('dropped');
  }

  const taskIdOf = async (user: ConnectedUser, content: string) =>
    (await harness.todoist.control.openTasks(user.todoistUserId)).find(
      (t) => t.content === content,
    )!.id;

  const completedOf = (user: ConnectedUser) => harness.taskCompletedOf(user.userId);

  /** Requests for the user's completed list that reached Todoist. */
  const completedListCalls = async (user: ConnectedUser) =>
    (await harness.todoist.control.requests()).filter(
      (r) => r.userId === user.todoistUserId && r.path.startsWith('/api/v1/tasks/completed'),
    );

  const sync = (user: ConnectedUser) =>
    harness.instance.app.get(TaskSyncCoordinator).syncNow(user.userId);

  it('publishes a completion whose webhook was dropped after the next sync, via reconcile, once', async () => {
    const user = await connectedUser('dropped', [plain('Pay rent'), plain('Call mum')]);
    await sync(user);
    const rent = await taskIdOf(user, 'Pay rent');
    await completeWithWebhookDropped(user, rent);
    expect(await completedOf(user)).toEqual([]);

    await sync(user);

    const [event, ...more] = await completedOf(user);
    expect(more).toEqual([]);
    const atTodoist = await harness.todoist.control.task(rent);
    expect(event!.data).toEqual({
      source: 'todoist',
      taskId: rent,
      completedAt: new Date(atTodoist!.completed_at!).toISOString(),
      via: 'reconcile',
    });
    // Further syncs find the same task gone and Todoist's same completion: nothing new.
    await sync(user);
    await sync(user);
    expect(await completedOf(user)).toHaveLength(1);
    const answer = await harness.rpc.call(
      'rpc.integrations.tasks',
      { userId: user.userId },
      20_000,
    );
    expect(answer.tasks.map((t) => t.title)).toEqual(['Call mum']);
  });

  it('publishes each completion of a recurring task (its due moved forward), without asking for the completed list', async () => {
    const user = await connectedUser('recurring', [
      { content: 'Water the plants', dueString: 'every day', dueDate: today() },
      plain('Read'),
    ]);
    await sync(user);
    const plants = await taskIdOf(user, 'Water the plants');
    const firstDue = (await harness.todoist.control.task(plants))!.due!.date;

    await completeWithWebhookDropped(user, plants);
    await sync(user);
    await sync(user);

    const first = await completedOf(user);
    expect(first).toHaveLength(1);
    // Completed when Todoist last updated it (the completion moved its date), not at the sync.
    const touched = (await harness.todoist.control.task(plants))!.updated_at;
    expect(first[0]!.data).toEqual({
      source: 'todoist',
      taskId: plants,
      completedAt: new Date(touched).toISOString(),
      via: 'reconcile',
    });

    const secondDue = (await harness.todoist.control.task(plants))!.due!.date;
    expect(secondDue > firstDue).toBe(true);
    await completeWithWebhookDropped(user, plants);
    await sync(user);

    const both = await completedOf(user);
    expect(both).toHaveLength(2);
    expect(both[1]!.data).toMatchObject({ taskId: plants, via: 'reconcile' });
    expect(both[1]!.id).not.toBe(both[0]!.id);
    const keys = await harness.prisma.taskCompletion.findMany({
      where: { userId: user.userId },
      orderBy: { recordedAt: 'asc' },
    });
    expect(keys.map((row) => row.completionKey)).toEqual([`due:${firstDue}`, `due:${secondDue}`]);
    // Nothing vanished: the completed list (which leaves recurring tasks out) was never asked.
    expect(await completedListCalls(user)).toEqual([]);
  });

  it('publishes nothing for a task deleted in Todoist', async () => {
    const user = await connectedUser('deleted', [plain('Old idea'), plain('Keep')]);
    await sync(user);
    await harness.todoist.control.deleteTask(await taskIdOf(user, 'Old idea'));

    await sync(user);

    // The vanished task was checked against the completed list, once, and not found there.
    expect(await completedListCalls(user)).toHaveLength(1);
    expect(await completedOf(user)).toEqual([]);
  });

  /** Delivers the user's dropped webhook after all, as Todoist's retry would (signed, same id). */
  async function deliverDroppedWebhook(user: ConnectedUser): Promise<void> {
    const dropped = (await harness.todoist.control.deliveries()).filter(
      (d) => d.userId === user.todoistUserId && d.status === 'dropped',
    );
    const delivery = dropped.at(-1)!;
    const answer = await harness.rpc.call('rpc.integrations.webhook', {
      provider: 'todoist',
      headers: {
        'content-type': 'application/json',
        'x-todoist-hmac-sha256': webhookSignature(CLIENT.secret, delivery.body),
        'x-todoist-delivery-id': delivery.deliveryId,
      },
      rawBody: Buffer.from(delivery.body).toString('base64'),
    });
    expect(answer.status).toBe(200);
  }

  it('adds nothing to a completion the webhook published first', async () => {
    const user = await connectedUser('seen', [plain('Book flights')]);
    await sync(user);
    await completeWithWebhookDropped(user, await taskIdOf(user, 'Book flights'));
    await deliverDroppedWebhook(user);
    expect((await completedOf(user)).map((e) => e.data.via)).toEqual(['webhook']);

    await sync(user);

    expect((await completedOf(user)).map((e) => e.data.via)).toEqual(['webhook']);
  });

  it('adds nothing when the webhook arrives after reconcile counted the completion', async () => {
    const user = await connectedUser('late', [
      { content: 'Take vitamins', dueString: 'every day', dueDate: today() },
    ]);
    await sync(user);
    await completeWithWebhookDropped(user, await taskIdOf(user, 'Take vitamins'));
    await sync(user);
    expect((await completedOf(user)).map((e) => e.data.via)).toEqual(['reconcile']);

    await deliverDroppedWebhook(user);

    expect((await completedOf(user)).map((e) => e.data.via)).toEqual(['reconcile']);
  });

  it('keeps a vanished task when the completed list is refused, and publishes it after the next sync', async () => {
    const user = await connectedUser('refused', [plain('File taxes'), plain('Stretch')]);
    await sync(user);
    const taxes = await taskIdOf(user, 'File taxes');
    await completeWithWebhookDropped(user, taxes);
    // Todoist allows this user one more request in its window: the list, not the completed list.
    const sentSoFar = (await harness.todoist.control.requests()).filter(
      (r) => r.userId === user.todoistUserId && r.path.startsWith('/api/v1/'),
    ).length;
    await harness.todoist.control.setRateLimit(sentSoFar + 1, 900);
    try {
      await sync(user);
    } finally {
      await harness.todoist.control.setRateLimit(1000, 900);
    }

    // The sync itself went through: the task is gone from the answer, nothing published yet.
    const answer = await harness.rpc.call(
      'rpc.integrations.tasks',
      { userId: user.userId },
      20_000,
    );
    expect(answer.tasks.map((t) => t.title)).toEqual(['Stretch']);
    expect((await completedListCalls(user)).map((r) => r.status)).toEqual([429]);
    expect(await completedOf(user)).toEqual([]);

    // Todoist's wait is over (as if the 429's retry_after had passed).
    await harness.redis.del(todoistKeys.blocked(user.userId));
    await sync(user);

    const events = await completedOf(user);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ taskId: taxes, via: 'reconcile' }),
    ]);
    expect(await harness.redis.exists(todoistKeys.reconcilePending(user.userId))).toBe(0);
  });

  it('keeps nothing for the next sync of a user removed while reconcile ran', async () => {
    const user = await connectedUser('removed', [
      { content: 'Water the plants', dueString: 'every day', dueDate: today() },
      plain('File taxes'),
    ]);
    await sync(user);
    await completeWithWebhookDropped(user, await taskIdOf(user, 'Water the plants'));
    await completeWithWebhookDropped(user, await taskIdOf(user, 'File taxes'));
    // The completed list is refused (429): reconcile would keep 'File taxes' for the next sync.
    const sentSoFar = (await harness.todoist.control.requests()).filter(
      (r) => r.userId === user.todoistUserId && r.path.startsWith('/api/v1/'),
    ).length;
    await harness.todoist.control.setRateLimit(sentSoFar + 1, 900);
    // A removal whose Redis DEL has run and whose connection delete is about to commit — so
    // the DEL is sure to come before reconcile's write, the order the write must survive.
    const removal = await harness.beginConnectionRemoval(user.userId);
    try {
      await harness.redis.del(...todoistKeys.all(user.userId));
      const syncing = sync(user);
      // Reconcile records the recurring completion and waits for the removal (foreign key).
      await harness.untilAQueryWaitsOnALock();
      await removal.commit();
      await syncing;
    } finally {
      await removal.end();
      await harness.todoist.control.setRateLimit(1000, 900);
    }

    expect((await completedListCalls(user)).map((r) => r.status)).toEqual([429]);
    expect(await harness.redis.exists(todoistKeys.reconcilePending(user.userId))).toBe(0);
    expect(await harness.prisma.taskCompletion.count({ where: { userId: user.userId } })).toBe(0);
    expect(await harness.prisma.taskSnapshot.count({ where: { userId: user.userId } })).toBe(0);
    expect(await completedOf(user)).toEqual([]);
  });

  describe('the periodic sweep', () => {
    it('catches a dropped webhook for a user nobody asked tasks for', async () => {
      const user = await connectedUser('swept', [plain('Renew passport'), plain('Gym')]);
      await sync(user);
      const passport = await taskIdOf(user, 'Renew passport');
      const sweeper = await createApp(await harness.env({ RECONCILE_INTERVAL_SECONDS: '1' }));
      await sweeper.start();
      try {
        await completeWithWebhookDropped(user, passport);

        const [event] = await expectEventually(
          async () => {
            const events = await completedOf(user);
            expect(events).toHaveLength(1);
            return events;
          },
          { timeoutMs: 20_000 },
        );
        expect(event!.data).toMatchObject({ taskId: passport, via: 'reconcile' });
      } finally {
        await sweeper.stop();
      }
    }, 40_000);

    it('leaves out a user whose Todoist budget is nearly spent', async () => {
      const spent = await connectedUser('spent', [plain('Plan trip')]);
      const other = await connectedUser('synced', [plain('Laundry')]);
      // This user's budget (20 requests per window here) all but spent by other work: one
      // request left would do for a sync, but not leave the 10 % reserve (2).
      const budget = new TodoistRateBudget(harness.redis, {
        limit: 20,
        windowSeconds: 900,
        latencyAllowanceMs: 10_000,
      });
      for (let i = 0; i < 19; i += 1) expect((await budget.take(spent.userId)).ok).toBe(true);
      const sweeper = await createApp(
        await harness.env({ RECONCILE_INTERVAL_SECONDS: '1', TODOIST_BUDGET_REQUESTS: '20' }),
      );
      await sweeper.start();
      try {
        // Both never synced: `spent` comes first in a sweep (then by user id), `synced` after.
        await expectEventually(
          async () =>
            expect(
              (await harness.connections.find(other.userId, 'todoist'))?.lastSyncAt,
            ).toBeTruthy(),
          { timeoutMs: 20_000 },
        );
      } finally {
        await sweeper.stop();
      }
      const reads = (await harness.todoist.control.requests()).filter(
        (r) => r.userId === spent.todoistUserId && r.path.startsWith('/api/v1/tasks'),
      );
      expect(reads).toEqual([]);
      expect((await harness.connections.find(spent.userId, 'todoist'))?.lastSyncAt).toBeNull();
    }, 40_000);

    it('runs on one instance at a time: the lease is refused while held, and free once ended', async () => {
      await harness.redis.del(SWEEP_LEASE_KEY);
      const one = new SweepLease(harness.redis);
      const other = new SweepLease(harness.redis);
      const token = await one.take(60_000);
      expect(token).toBeDefined();
      expect(await other.take(60_000)).toBeUndefined();
      expect(await other.holdFor('not-the-holder', 60_000)).toBe(false);
      expect(await one.holdFor(token!, 120_000)).toBe(true);
      expect(await harness.redis.pttl(SWEEP_LEASE_KEY)).toBeGreaterThan(60_000);

      await one.endIn(token!, 0);

      expect(await other.take(60_000)).toBeDefined();
      await harness.redis.del(SWEEP_LEASE_KEY);
    });

    it('stops at once on shutdown while a sweep waits for its next user', async () => {
      await connectedUser('waiting1', [plain('A')]);
      await connectedUser('waiting2', [plain('B')]);
      await harness.redis.del(SWEEP_LEASE_KEY);
      // An hour's interval: the sweep's second user is due minutes from now.
      const sweeper = await createApp(await harness.env({ RECONCILE_INTERVAL_SECONDS: '3600' }));
      await sweeper.start();
      const sweep = sweeper.app.get(ReconcileScheduler).sweepIfLeased();
      await expectEventually(async () =>
        expect(await harness.redis.exists(SWEEP_LEASE_KEY)).toBe(1),
      );

      await sweeper.stop();

      await expect(sweep).resolves.toBe(true);
      // Ended where it stopped: the lease runs out an interval after the sweep began.
      expect(await harness.redis.pttl(SWEEP_LEASE_KEY)).toBeGreaterThan(0);
      await harness.redis.del(SWEEP_LEASE_KEY);
    }, 30_000);
  });
});
