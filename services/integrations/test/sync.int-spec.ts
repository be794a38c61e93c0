import { createEnvelope, type Envelope } from '@oo/contracts';
import { expectEventually, readSignals } from '@oo/testing';
import pg from 'pg';
import { CompletionLedger } from '../src/completions/completion-ledger.js';
import { ConnectionRemoval } from '../src/disconnect/connection-removal.js';
import { SyncLock } from '../src/sync/sync-lock.js';
import { TaskCache, cacheKey, type CachedTasks } from '../src/sync/task-cache.js';
import { todoistKeys } from '../src/todoist/todoist-keys.js';
import { TaskSyncCoordinator } from '../src/sync/task-sync.coordinator.js';
import type { TaskInput } from '@oo/local-todoist';
import {
  startIntegrationsHarness,
  type ConnectedUser,
  type ConnectUserOptions,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

function taskInput(n: number, content = `Task ${n}`): TaskInput {
  return { content, priority: (n % 4) + 1, addedAt: '2026-11-01T09:00:00.000000Z' };
}

const inputs = (count: number) => Array.from({ length: count }, (_, i) => taskInput(i + 1));

/**
 * Sync and `rpc.integrations.tasks`, with two instances of the service on real NATS, Redis
 * and Postgres, and the local Todoist (`@oo/local-todoist`) in this process.
 */
describe('task sync and rpc.integrations.tasks', () => {
  let harness: IntegrationsHarness;

  beforeAll(async () => {
    harness = await startIntegrationsHarness('integrations_sync', {
      todoist: 'in-process',
      instances: 2,
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  /** A user connected to Todoist with a token the local Todoist issued (or, `known: false`, never did). */
  const connectedUser = (label: string, tasks: TaskInput[], options?: ConnectUserOptions) =>
    harness.connectUser(label, tasks, options);

  /** `GET /tasks` requests the local Todoist received with this user's token. */
  async function tasksCalls(user: ConnectedUser): Promise<URLSearchParams[]> {
    return (await harness.todoist.control.requests())
      .filter((r) => r.userId === user.todoistUserId && r.path.startsWith('/api/v1/tasks?'))
      .map((r) => new URL(r.path, 'http://todoist').searchParams);
  }

  /** Upstream syncs: first pages of `GET /tasks`. */
  const syncsOf = async (user: ConnectedUser) =>
    (await tasksCalls(user)).filter((query) => !query.has('cursor')).length;

  const signalsOf = (subject: string): Promise<Envelope[]> => readSignals(harness.nats, subject);

  /** Every `task.synced` in SIGNALS for the user, oldest first. */
  const taskSyncedOf = (userId: string) =>
    readSignals<'task.synced'>(harness.nats, `signals.task.synced.${userId}`);

  const tasksOf = (userId: string) =>
    harness.rpc.call('rpc.integrations.tasks', { userId }, 20_000);
  const coordinator = () => harness.instances[0]!.app.get(TaskSyncCoordinator);

  it('answers a user with 450 open tasks with all 450, read over 3 pages, and publishes them', async () => {
    const user = await connectedUser('pages', inputs(450));
    const atTodoist = (await harness.todoist.control.openTasks(user.todoistUserId)).map(
      (t) => t.id,
    );

    const answer = await tasksOf(user.userId);

    expect(answer.status).toBe('ok');
    expect(answer.syncedAt).not.toBeNull();
    expect(answer.tasks.map((t) => t.taskId).sort()).toEqual([...atTodoist].sort());
    expect(answer.tasks).toHaveLength(450);
    const pages = await tasksCalls(user);
    expect(pages.map((query) => query.get('limit'))).toEqual(['200', '200', '200']);
    expect(pages[0]!.has('cursor')).toBe(false);
    const [synced, ...more] = await taskSyncedOf(user.userId);
    expect(more).toEqual([]);
    expect(synced!.data).toMatchObject({ source: 'todoist' });
    expect(synced!.data.tasks).toHaveLength(450);
    const row = await harness.prisma.taskSnapshot.findUnique({
      where: { userId_provider: { userId: user.userId, provider: 'todoist' } },
    });
    expect((row?.tasks as unknown[]).length).toBe(450);
    expect((await harness.connections.find(user.userId, 'todoist'))?.lastSyncAt).not.toBeNull();
  });

  it('publishes task.synced when a task changed, and nothing when the set is the same', async () => {
    const user = await connectedUser('changes', inputs(3));
    await tasksOf(user.userId);
    expect(await taskSyncedOf(user.userId)).toHaveLength(1);

    await coordinator().syncNow(user.userId);
    expect(await syncsOf(user)).toBe(2);
    expect(await taskSyncedOf(user.userId)).toHaveLength(1);

    const [, second] = await harness.todoist.control.openTasks(user.todoistUserId);
    await harness.todoist.control.updateTask(second!.id, { content: 'Renamed in Todoist' });
    await coordinator().syncNow(user.userId);

    const events = await taskSyncedOf(user.userId);
    expect(events).toHaveLength(2);
    expect(events[1]!.data.tasks.find((t) => t.taskId === second!.id)?.title).toBe(
      'Renamed in Todoist',
    );
    expect((await tasksOf(user.userId)).tasks.map((t) => t.title)).toContain('Renamed in Todoist');
  });

  it('reads Todoist once for 200 concurrent calls for one user, across two instances', async () => {
    const user = await connectedUser('burst', inputs(5));

    const answers = await Promise.all(Array.from({ length: 200 }, () => tasksOf(user.userId)));

    expect(await syncsOf(user)).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe('ok');
      expect(answer.tasks).toHaveLength(5);
    }
  }, 60_000);

  it('answers a stale set at once and refreshes it in the background', async () => {
    const user = await connectedUser('stale', inputs(2));
    const first = await tasksOf(user.userId);
    expect(first.tasks).toHaveLength(2);
    // The user adds a task in Todoist, and the cached set ages past its 30 s.
    await harness.todoist.control.addTasks(user.todoistUserId, [taskInput(3)], { notify: false });
    const cached = JSON.parse((await harness.redis.get(cacheKey(user.userId)))!) as CachedTasks;
    await harness.redis.set(cacheKey(user.userId), JSON.stringify({ ...cached, refreshAfter: 0 }));

    const stale = await tasksOf(user.userId);

    // The cached set, as it was: the caller did not wait for Todoist.
    expect(stale.tasks).toHaveLength(2);
    expect(stale.syncedAt).toBe(first.syncedAt);
    const fresh = await expectEventually(async () => {
      const answer = await tasksOf(user.userId);
      expect(answer.tasks).toHaveLength(3);
      return answer;
    });
    expect(await syncsOf(user)).toBe(2);
    expect(Date.parse(fresh.syncedAt!)).toBeGreaterThan(Date.parse(first.syncedAt!));
  });

  it('marks the connection needs_reconnect when Todoist refuses the token', async () => {
    const user = await connectedUser('refused', inputs(2), { known: false });

    const answer = await tasksOf(user.userId);

    expect(answer).toEqual({ tasks: [], syncedAt: null, status: 'needs_reconnect' });
    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe(
      'needs_reconnect',
    );
    expect(await taskSyncedOf(user.userId)).toEqual([]);
    // Asked again once stale: no request with a token Todoist refused.
    await harness.instances[1]!.app.get(TaskCache).markStale(user.userId);
    const refusedBefore = (await harness.todoist.control.requests()).filter(
      (r) => r.status === 401,
    );
    await expect(tasksOf(user.userId)).resolves.toMatchObject({ status: 'needs_reconnect' });
    await expectEventually(async () => {
      const entry = JSON.parse((await harness.redis.get(cacheKey(user.userId)))!) as CachedTasks;
      expect(entry.refreshAfter).toBeGreaterThan(0);
    });
    expect((await harness.todoist.control.requests()).filter((r) => r.status === 401)).toHaveLength(
      refusedBefore.length,
    );
  });

  it('marks the connection needs_reconnect when Todoist forbids listing the tasks (403: the grant lacks the scope)', async () => {
    const user = await connectedUser('forbidden', inputs(2));
    await harness.todoist.control.failNext(1, { status: 403 });

    await coordinator().syncNow(user.userId);

    expect((await harness.todoist.control.requests()).filter((r) => r.status === 403)).toHaveLength(
      1,
    );
    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe(
      'needs_reconnect',
    );
    await expect(tasksOf(user.userId)).resolves.toMatchObject({ status: 'needs_reconnect' });
    expect(await taskSyncedOf(user.userId)).toEqual([]);
  });

  it('on a 429 says rate_limited and sends nothing before retry_after, however often asked', async () => {
    const user = await connectedUser('limited', inputs(1));
    await harness.todoist.control.setRateLimit(1, 900);
    try {
      // The user's one request of the window, spent in the Todoist app's name.
      await fetch(`${harness.todoist.apiUrl}/user`, {
        headers: { authorization: `Bearer ${user.token}` },
      });

      expect(await tasksOf(user.userId)).toEqual({
        tasks: [],
        syncedAt: null,
        status: 'rate_limited',
      });
      expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe('rate_limited');

      // Asked again with the cache marked stale: the refresh runs and is refused here.
      await harness.instances[1]!.app.get(TaskCache).markStale(user.userId);
      expect((await tasksOf(user.userId)).status).toBe('rate_limited');
      await expectEventually(async () => {
        const entry = JSON.parse((await harness.redis.get(cacheKey(user.userId)))!) as CachedTasks;
        expect(entry.refreshAfter).toBeGreaterThan(Date.now() + 60_000);
      });
      expect(await tasksCalls(user)).toHaveLength(1);
    } finally {
      await harness.todoist.control.setRateLimit(1000, 900);
    }
  });

  it('keeps the last snapshot and status through a Todoist outage', async () => {
    const user = await connectedUser('outage', inputs(2));
    const before = await tasksOf(user.userId);
    await harness.todoist.control.failNext(3, { status: 503 });

    await coordinator().syncNow(user.userId);

    expect((await harness.todoist.control.requests()).filter((r) => r.status === 503)).toHaveLength(
      3,
    );
    expect(await tasksOf(user.userId)).toEqual(before);
    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe('ok');
    expect(await taskSyncedOf(user.userId)).toHaveLength(1);
  });

  it('loses no task.synced and sends none twice when a sync stops between publish and snapshot', async () => {
    const user = await connectedUser('crash', inputs(1));
    await tasksOf(user.userId);
    const where = { userId_provider: { userId: user.userId, provider: 'todoist' } };
    const snapshotBefore = await harness.prisma.taskSnapshot.findUniqueOrThrow({ where });
    await harness.todoist.control.addTasks(user.todoistUserId, [taskInput(2)], { notify: false });
    await coordinator().syncNow(user.userId);
    expect(await taskSyncedOf(user.userId)).toHaveLength(2);
    // As if the process had died after the publish was acknowledged, before the snapshot write.
    await harness.prisma.taskSnapshot.update({
      where,
      data: {
        tasks: snapshotBefore.tasks as object[],
        digest: snapshotBefore.digest,
        syncedAt: snapshotBefore.syncedAt,
      },
    });

    await coordinator().syncNow(user.userId);

    // The retry published the same event id: the stream kept one.
    const events = await taskSyncedOf(user.userId);
    expect(events).toHaveLength(2);
    expect(events[1]!.data.tasks).toHaveLength(2);
    expect(await syncsOf(user)).toBe(3);
  });

  it('answers not_connected for a user without a connection', async () => {
    await expect(tasksOf('nobody_here')).resolves.toEqual({
      tasks: [],
      syncedAt: null,
      status: 'not_connected',
    });
    await expect(
      harness.rpc.call('rpc.integrations.tasks', { userId: 'nobody_here', taskIds: ['1'] }, 5_000),
    ).resolves.toEqual({ tasks: [], syncedAt: null, status: 'not_connected' });
  });

  it('with taskIds answers only those of the listed tasks still open, on either instance', async () => {
    const user = await connectedUser('listed', inputs(4));
    const whole = await tasksOf(user.userId);
    const [first, second, third] = whole.tasks.map((task) => task.taskId);
    // Either instance answers (one queue group): both must see the same.
    const listed = (taskIds: string[]) =>
      harness.rpc.call('rpc.integrations.tasks', { userId: user.userId, taskIds }, 5_000);

    // Todoist's order of the set, whatever the order asked; an id not in the set is left out.
    const answer = await listed([third!, 'not-a-task', first!]);
    expect(answer).toEqual({
      tasks: whole.tasks.filter((task) => task.taskId === first || task.taskId === third),
      syncedAt: whole.syncedAt,
      status: 'ok',
    });
    await expect(listed([])).resolves.toEqual({ ...whole, tasks: [] });

    // Done (a webhook said so, handled by the other instance): no longer open at once.
    await harness.instances[1]!.app.get(TaskCache).hideDone(user.userId, second!);
    await expect(listed([second!])).resolves.toMatchObject({ tasks: [], status: 'ok' });
    await expect(listed([second!, third!])).resolves.toMatchObject({
      tasks: [whole.tasks[2]],
    });
    // …and the whole set leaves it out as well.
    expect((await tasksOf(user.userId)).tasks.map((task) => task.taskId)).toEqual([
      first,
      third,
      whole.tasks[3]!.taskId,
    ]);
  });

  it('refuses taskIds that are not a list of up to 200 task ids, naming the field', async () => {
    const call = (taskIds: unknown) =>
      harness.rpc.call(
        'rpc.integrations.tasks',
        { userId: 'nobody_here', taskIds } as unknown as { userId: string },
        5_000,
      );

    for (const taskIds of ['abc', [''], [42], Array.from({ length: 201 }, (_, i) => `t${i}`)]) {
      await expect(call(taskIds)).rejects.toMatchObject({
        code: 'invalid_request',
        field: expect.stringMatching(/^taskIds/) as unknown,
      });
    }
  });

  it('forgets a deleted user: no connection, snapshot or Redis key left, the grant revoked at Todoist, and the deletion confirmed', async () => {
    const user = await connectedUser('erased', inputs(4));
    const kept = await connectedUser('kept', inputs(2));
    await tasksOf(user.userId);
    await tasksOf(kept.userId);
    expect(await harness.redis.exists(cacheKey(user.userId))).toBe(1);

    const deletion = createEnvelope('user.deleted', user.userId, {
      requestedAt: new Date().toISOString(),
    });
    await harness.publisher.publishEnvelope(deletion);

    await expectEventually(async () => {
      const confirmations = (await signalsOf(`signals.user.purged.${user.userId}`)).map(
        (event) => (event.data as { service: string }).service,
      );
      expect(confirmations).toEqual(['integrations']);
    });
    const where = { userId: user.userId };
    expect(await harness.prisma.connection.count({ where })).toBe(0);
    expect(await harness.prisma.taskSnapshot.count({ where })).toBe(0);
    expect(await harness.prisma.taskCompletion.count({ where })).toBe(0);
    const prefix = `${harness.nats.topology.namespace}:`;
    const left = await harness.redis.keys(`${prefix}*${user.userId}*`);
    expect(left).toEqual([]);
    // Another user's data is untouched.
    expect(await harness.prisma.connection.count({ where: { userId: kept.userId } })).toBe(1);
    expect(await harness.redis.exists(cacheKey(kept.userId))).toBe(1);
    // The grant is revoked at Todoist (in the background, after the data went); not the other's.
    await expectEventually(async () => {
      const revoked = (await harness.todoist.control.revokedTokens()).map((entry) => entry.userId);
      expect(revoked).toContain(user.todoistUserId);
      expect(revoked).not.toContain(kept.todoistUserId);
    });
  });

  it('counts no completion for a user who disconnected after a path checked the connection: no row, no task.completed', async () => {
    const user = await connectedUser('gone_ledger', inputs(1));
    await coordinator().syncNow(user.userId);
    const [task] = await harness.todoist.control.openTasks(user.todoistUserId);
    await harness.instances[0]!.app.get(ConnectionRemoval).remove(user.userId, 'todoist');

    // What a webhook, reconcile or close that looked before the removal committed goes on to do.
    const claimed = await harness.instances[0]!.app.get(CompletionLedger).record({
      userId: user.userId,
      provider: 'todoist',
      taskId: task!.id,
      completionKey: 'closed',
      completedAt: new Date(),
      via: 'webhook',
    });

    expect(claimed).toBe(false);
    expect(await harness.prisma.taskCompletion.count({ where: { userId: user.userId } })).toBe(0);
    expect(await signalsOf(`signals.task.completed.${user.userId}`)).toEqual([]);
  });

  it('a sync whose connection is removed between the Todoist read and the save keeps and caches nothing', async () => {
    const user = await connectedUser('gone_sync', inputs(3));
    // A removal begun, not yet committed: it holds the connection row.
    const removal = await harness.beginConnectionRemoval(user.userId);
    try {
      const sync = coordinator().syncNow(user.userId);
      // The sync has read Todoist and waits at its save for the removal (the foreign key).
      await harness.untilAQueryWaitsOnALock();
      await removal.commit();
      await sync;
    } finally {
      await removal.end();
    }

    expect(await harness.prisma.taskSnapshot.count({ where: { userId: user.userId } })).toBe(0);
    expect(await harness.redis.exists(cacheKey(user.userId))).toBe(0);
    await expect(tasksOf(user.userId)).resolves.toEqual({
      tasks: [],
      syncedAt: null,
      status: 'not_connected',
    });
  });

  it('a sync whose connection is removed after its save and before its cache write caches nothing', async () => {
    const user = await connectedUser('gone_cache', inputs(3));
    const removal = new pg.Client({ connectionString: harness.database.url });
    await removal.connect();
    try {
      // Holds the connection row against updates only: the snapshot's foreign key check passes,
      // the sync's `markSynced` (just before its cache write) waits.
      await removal.query('BEGIN');
      await removal.query(
        `SELECT 1 FROM integrations.connection WHERE user_id = $1 FOR NO KEY UPDATE`,
        [user.userId],
      );
      const sync = coordinator().syncNow(user.userId);
      await harness.untilAQueryWaitsOnALock();
      expect(await harness.prisma.taskSnapshot.count({ where: { userId: user.userId } })).toBe(1);
      // The removal, all of it — rows, then the user's Redis keys — before the cache write.
      await removal.query(
        `DELETE FROM integrations.connection WHERE user_id = $1 AND provider = 'todoist'`,
        [user.userId],
      );
      await removal.query('COMMIT');
      await harness.redis.del(cacheKey(user.userId));
      await sync;
    } finally {
      await removal.end();
    }

    expect(await harness.prisma.taskSnapshot.count({ where: { userId: user.userId } })).toBe(0);
    expect(await harness.redis.exists(cacheKey(user.userId))).toBe(0);
  });

  it('a removal waits for a running sync of the user, so no sync (and no task.synced) outlasts it', async () => {
    const user = await connectedUser('removal_waits', inputs(2));
    const app = harness.instances[0]!.app;
    // What a sync in flight holds, on any instance.
    const held = await app.get(SyncLock).acquire(user.userId);
    expect(held).toBeDefined();

    // Counts the removal's attempts at the lock (the instance's own method, wrapped).
    const lock = app.get(SyncLock);
    let attempts = 0;
    lock.acquire = (userId, ttlMs) => {
      attempts += 1;
      return SyncLock.prototype.acquire.call(lock, userId, ttlMs);
    };
    let removed = false;
    const removal = app
      .get(ConnectionRemoval)
      .remove(user.userId, 'todoist')
      .finally(() => (removed = true));
    try {
      // Asked for the lock twice and refused both times: the removal is waiting, not done.
      await expectEventually(async () => expect(attempts).toBeGreaterThan(1));
    } finally {
      delete (lock as { acquire?: unknown }).acquire;
    }
    expect(removed).toBe(false);
    expect(await harness.connections.find(user.userId, 'todoist')).toBeDefined();

    await app.get(SyncLock).release(user.userId, held!);
    await expect(removal).resolves.toBe(true);
    expect(await harness.connections.find(user.userId, 'todoist')).toBeUndefined();
    // The removal took the lock itself and deleted it with the user's keys.
    expect(await harness.redis.exists(todoistKeys.syncLock(user.userId))).toBe(0);
  });
});
