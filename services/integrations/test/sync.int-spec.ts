import { randomBytes } from 'node:crypto';
import type { Envelope } from '@oo/contracts';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { RpcClient } from '@oo/messaging';
import { createRedisClient, type ServiceApp } from '@oo/platform';
import {
  createTestNats,
  expectEventually,
  freePort,
  serviceTestEnv,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import type { Redis } from 'ioredis';
import { createApp } from '../src/app.factory.js';
import { loadIntegrationsEnv } from '../src/config/env.js';
import { ConnectionRepository } from '../src/connections/connection.repository.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TaskCache, cacheKey, type CachedTasks } from '../src/sync/task-cache.js';
import { TaskSyncCoordinator } from '../src/sync/task-sync.coordinator.js';
import type { TodoistTask } from '../src/todoist/todoist-api.types.js';
import { TokenCipher } from '../src/tokens/token-cipher.js';
import { startTinyTodoist, type TinyTodoist } from './support/tiny-todoist.js';

function todoistTask(n: number, content = `Task ${n}`): TodoistTask {
  return {
    id: `t${String(n).padStart(4, '0')}`,
    content,
    priority: (n % 4) + 1,
    due: null,
    added_at: '2026-11-01T09:00:00.000000Z',
  };
}

/**
 * Sync and `rpc.integrations.tasks`, with two instances of the service on real NATS, Redis
 * and Postgres, and a tiny HTTP Todoist that knows each user's token and open tasks.
 */
describe('task sync and rpc.integrations.tasks', () => {
  const key = randomBytes(32);
  let database: TestDatabase;
  let nats: TestNats;
  let todoist: TinyTodoist;
  let instances: ServiceApp[];
  let rpc: RpcClient;
  let prisma: PrismaClient;
  let connections: ConnectionRepository;
  let redis: Redis;
  /** Each user's open tasks at "Todoist", by access token. */
  const tasksByToken = new Map<string, TodoistTask[]>();
  /** Tokens for which "Todoist" answers this status instead. */
  const failingTokens = new Map<string, 429 | 503>();

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['integrations'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    nats = await createTestNats('integrations_sync');
    todoist = await startTinyTodoist();
    todoist.respond(({ path, query, headers }) => {
      const token = String(headers.authorization).replace(/^Bearer /, '');
      const failing = failingTokens.get(token);
      if (failing === 429) {
        return {
          status: 429,
          headers: { 'retry-after': '120' },
          body: { error: 'Too many requests', error_extra: { retry_after: 120 } },
        };
      }
      if (failing === 503) return { status: 503, body: { error: 'Service unavailable' } };
      const tasks = tasksByToken.get(token);
      if (!tasks) return { status: 401, body: { error: 'Unauthorized' } };
      if (path !== '/tasks') return { status: 404 };
      const limit = Number(query.get('limit') ?? 50);
      const from = Number(query.get('cursor') ?? 0);
      const next = from + limit < tasks.length ? String(from + limit) : null;
      return { status: 200, body: { results: tasks.slice(from, from + limit), next_cursor: next } };
    });
    const env = async () =>
      loadIntegrationsEnv(
        await serviceTestEnv(nats, {
          DATABASE_URL: database.url,
          PORT: String(await freePort()),
          TODOIST_API_URL: todoist.url,
          TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
        }),
      );
    instances = [await createApp(await env()), await createApp(await env())];
    for (const instance of instances) await instance.start();
    rpc = new RpcClient(nats.nc, nats.topology);
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'integrations') });
    connections = new ConnectionRepository(prisma, new TokenCipher([{ kid: 'k1', key }]));
    redis = createRedisClient(
      (await testInfrastructure()).redisUrl,
      nats.topology.namespace,
      'test',
    );
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances ?? []) await instance.stop();
    await redis?.quit();
    await prisma?.$disconnect();
    await todoist?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  /** A user connected to Todoist whose token the Todoist stand-in knows (unless `known: false`). */
  async function connectedUser(
    label: string,
    tasks: TodoistTask[],
    { known = true } = {},
  ): Promise<{ userId: string; token: string }> {
    const userId = `${label}_${randomBytes(4).toString('hex')}`;
    const token = `tok-${randomBytes(12).toString('hex')}`;
    if (known) tasksByToken.set(token, tasks);
    await connections.save({
      userId,
      provider: 'todoist',
      providerUserId: `td-${userId}`,
      scope: 'data:read_write',
      tokens: { accessToken: token, refreshToken: null, accessTokenExpiresAt: null },
    });
    return { userId, token };
  }

  const tasksCalls = (token: string) =>
    todoist.requests.filter(
      (r) => r.path === '/tasks' && r.headers.authorization === `Bearer ${token}`,
    );
  const syncsOf = (token: string) => tasksCalls(token).filter((r) => !r.query.has('cursor')).length;

  /** Every `task.synced` in SIGNALS for the user, oldest first. */
  async function taskSyncedOf(userId: string): Promise<Array<Envelope<'task.synced'>>> {
    const subject = nats.topology.wire(`signals.task.synced.${userId}`);
    const { state } = await nats.jsm.streams.info(nats.topology.signalsStream);
    const events: Array<Envelope<'task.synced'>> = [];
    for (let seq = state.first_seq; state.messages && seq <= state.last_seq; seq += 1) {
      const message = await nats.jsm.streams
        .getMessage(nats.topology.signalsStream, { seq })
        .catch(() => null);
      if (message?.subject === subject) events.push(message.json<Envelope<'task.synced'>>());
    }
    return events;
  }

  const tasksOf = (userId: string) => rpc.call('rpc.integrations.tasks', { userId }, 20_000);
  const coordinator = () => instances[0]!.app.get(TaskSyncCoordinator);

  it('answers a user with 450 open tasks with all 450, read over 3 pages, and publishes them', async () => {
    const all = Array.from({ length: 450 }, (_, i) => todoistTask(i + 1));
    const { userId, token } = await connectedUser('pages', all);

    const answer = await tasksOf(userId);

    expect(answer.status).toBe('ok');
    expect(answer.syncedAt).not.toBeNull();
    expect(answer.tasks.map((t) => t.taskId)).toEqual(all.map((t) => t.id));
    expect(tasksCalls(token).map((r) => r.query.get('cursor'))).toEqual([null, '200', '400']);
    const [synced, ...more] = await taskSyncedOf(userId);
    expect(more).toEqual([]);
    expect(synced!.data).toMatchObject({ source: 'todoist' });
    expect(synced!.data.tasks).toHaveLength(450);
    const row = await prisma.taskSnapshot.findUnique({
      where: { userId_provider: { userId, provider: 'todoist' } },
    });
    expect((row?.tasks as unknown[]).length).toBe(450);
    expect((await connections.find(userId, 'todoist'))?.lastSyncAt).not.toBeNull();
  });

  it('publishes task.synced when a task changed, and nothing when the set is the same', async () => {
    const tasks = [todoistTask(1), todoistTask(2), todoistTask(3)];
    const { userId, token } = await connectedUser('changes', tasks);
    await tasksOf(userId);
    expect(await taskSyncedOf(userId)).toHaveLength(1);

    await coordinator().syncNow(userId);
    expect(syncsOf(token)).toBe(2);
    expect(await taskSyncedOf(userId)).toHaveLength(1);

    tasksByToken.set(token, [todoistTask(1), todoistTask(2, 'Renamed in Todoist'), todoistTask(3)]);
    await coordinator().syncNow(userId);

    const events = await taskSyncedOf(userId);
    expect(events).toHaveLength(2);
    expect(events[1]!.data.tasks.find((t) => t.taskId === 't0002')?.title).toBe(
      'Renamed in Todoist',
    );
    expect((await tasksOf(userId)).tasks.map((t) => t.title)).toContain('Renamed in Todoist');
  });

  it('reads Todoist once for 200 concurrent calls for one user, across two instances', async () => {
    const tasks = Array.from({ length: 5 }, (_, i) => todoistTask(i + 1));
    const { userId, token } = await connectedUser('burst', tasks);

    const answers = await Promise.all(Array.from({ length: 200 }, () => tasksOf(userId)));

    expect(syncsOf(token)).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe('ok');
      expect(answer.tasks).toHaveLength(5);
    }
  }, 60_000);

  it('answers a stale set at once and refreshes it in the background', async () => {
    const { userId, token } = await connectedUser('stale', [todoistTask(1), todoistTask(2)]);
    const first = await tasksOf(userId);
    expect(first.tasks).toHaveLength(2);
    // Todoist changes, and the cached set ages past its 30 s.
    tasksByToken.set(token, [todoistTask(1), todoistTask(2), todoistTask(3)]);
    const cached = JSON.parse((await redis.get(cacheKey(userId)))!) as CachedTasks;
    await redis.set(cacheKey(userId), JSON.stringify({ ...cached, refreshAfter: 0 }));

    const stale = await tasksOf(userId);

    // The cached set, as it was: the caller did not wait for Todoist.
    expect(stale.tasks).toHaveLength(2);
    expect(stale.syncedAt).toBe(first.syncedAt);
    const fresh = await expectEventually(async () => {
      const answer = await tasksOf(userId);
      expect(answer.tasks).toHaveLength(3);
      return answer;
    });
    expect(syncsOf(token)).toBe(2);
    expect(Date.parse(fresh.syncedAt!)).toBeGreaterThan(Date.parse(first.syncedAt!));
  });

  it('marks the connection needs_reconnect when Todoist refuses the token', async () => {
    const { userId, token } = await connectedUser('refused', [], { known: false });

    const answer = await tasksOf(userId);

    expect(answer).toEqual({ tasks: [], syncedAt: null, status: 'needs_reconnect' });
    expect(tasksCalls(token)).toHaveLength(1);
    expect((await connections.find(userId, 'todoist'))?.status).toBe('needs_reconnect');
    expect(await taskSyncedOf(userId)).toEqual([]);
  });

  it('on a 429 says rate_limited and sends nothing before retry_after, however often asked', async () => {
    const { userId, token } = await connectedUser('limited', [todoistTask(1)]);
    failingTokens.set(token, 429);

    expect(await tasksOf(userId)).toEqual({ tasks: [], syncedAt: null, status: 'rate_limited' });
    expect((await connections.find(userId, 'todoist'))?.status).toBe('rate_limited');

    // Asked again with the cache marked stale: the refresh runs and is refused without a request.
    await instances[1]!.app.get(TaskCache).markStale(userId);
    expect((await tasksOf(userId)).status).toBe('rate_limited');
    await expectEventually(async () => {
      const entry = JSON.parse((await redis.get(cacheKey(userId)))!) as CachedTasks;
      expect(entry.refreshAfter).toBeGreaterThan(Date.now() + 60_000);
    });
    expect(tasksCalls(token)).toHaveLength(1);
  });

  it('keeps the last snapshot and status through a Todoist outage', async () => {
    const { userId, token } = await connectedUser('outage', [todoistTask(1), todoistTask(2)]);
    const before = await tasksOf(userId);
    failingTokens.set(token, 503);

    await coordinator().syncNow(userId);

    expect(tasksCalls(token).length).toBeGreaterThan(1);
    expect(await tasksOf(userId)).toEqual(before);
    expect((await connections.find(userId, 'todoist'))?.status).toBe('ok');
    expect(await taskSyncedOf(userId)).toHaveLength(1);
  });

  it('loses no task.synced and sends none twice when a sync stops between publish and snapshot', async () => {
    const { userId, token } = await connectedUser('crash', [todoistTask(1)]);
    await tasksOf(userId);
    const snapshotBefore = await prisma.taskSnapshot.findUniqueOrThrow({
      where: { userId_provider: { userId, provider: 'todoist' } },
    });
    tasksByToken.set(token, [todoistTask(1), todoistTask(2)]);
    await coordinator().syncNow(userId);
    expect(await taskSyncedOf(userId)).toHaveLength(2);
    // As if the process had died after the publish was acknowledged, before the snapshot write.
    await prisma.taskSnapshot.update({
      where: { userId_provider: { userId, provider: 'todoist' } },
      data: {
        tasks: snapshotBefore.tasks as object[],
        digest: snapshotBefore.digest,
        syncedAt: snapshotBefore.syncedAt,
      },
    });

    await coordinator().syncNow(userId);

    // The retry published the same event id: the stream kept one.
    const events = await taskSyncedOf(userId);
    expect(events).toHaveLength(2);
    expect(events[1]!.data.tasks).toHaveLength(2);
    expect(syncsOf(token)).toBe(3);
  });

  it('answers not_connected for a user without a connection', async () => {
    await expect(tasksOf('nobody_here')).resolves.toEqual({
      tasks: [],
      syncedAt: null,
      status: 'not_connected',
    });
  });
});
