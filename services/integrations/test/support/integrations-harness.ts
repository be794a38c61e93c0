import { randomBytes } from 'node:crypto';
import type { Envelope } from '@oo/contracts';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { createLocalTodoist, type LocalTodoistControl, type TaskInput } from '@oo/local-todoist';
import { EventPublisher, RpcClient } from '@oo/messaging';
import { createRedisClient, type ServiceApp } from '@oo/platform';
import {
  createTestNats,
  expectEventually,
  freePort,
  readSignals,
  serviceTestEnv,
  startLocalTodoistProcess,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadIntegrationsEnv, type IntegrationsEnv } from '../../src/config/env.js';
import { ConnectionRepository } from '../../src/connections/connection.repository.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { TaskSyncCoordinator } from '../../src/sync/task-sync.coordinator.js';
import { TokenCipher } from '../../src/tokens/token-cipher.js';
import { grantTokens } from './local-todoist-grant.js';

/** The OAuth app the local Todoist knows oO as. */
export interface TestClient {
  id: string;
  secret: string;
  redirectUri: string;
}

export const TEST_CLIENT: TestClient = {
  id: 'oo-test-client',
  secret: 'oo-test-secret',
  // Never followed: the grant reads the code off the redirect.
  redirectUri: 'http://127.0.0.1:9/integrations/todoist/callback',
};

/** An OAuth app of its own for a test file: `<name>-client`, `<name>-secret`. */
export function testClient(name: string): TestClient {
  return { id: `${name}-client`, secret: `${name}-secret`, redirectUri: TEST_CLIENT.redirectUri };
}

export interface IntegrationsHarnessOptions {
  client?: TestClient;
  /** Where the local Todoist sends webhooks; none are sent while unset. */
  webhookUrl?: string;
  /** Tokens expire after this long and come with a rotating refresh token. */
  tokenTtlSeconds?: number;
  /** The local Todoist as its own process (default), or in this one (a large task set is cheaper to seed). */
  todoist?: 'process' | 'in-process';
  /** Instances of the service started with the harness (default 1). */
  instances?: number;
  /** Variables every service started from this harness shares (the gateway's, e.g.). */
  sharedEnv?: Record<string, string>;
}

/** The local Todoist as a test sees it, wherever it runs. */
export interface HarnessTodoist {
  oauthUrl: string;
  apiUrl: string;
  control: LocalTodoistControl;
}

export interface ConnectedUser {
  userId: string;
  todoistUserId: string;
  /** The access token stored for the user. */
  token: string;
  /** Only when the local Todoist issues expiring tokens (`tokenTtlSeconds`). */
  refreshToken: string | null;
  expiresIn: number | null;
  /** The Todoist ids of the tasks the user starts with, in order. */
  taskIds: string[];
}

export interface ConnectUserOptions {
  /** `false`: store a token the local Todoist never issued. */
  known?: boolean;
  /** Sync once after connecting (so oO knows the tasks, as a tip would). */
  sync?: boolean;
}

export interface PendingRemoval {
  commit(): Promise<void>;
  end(): Promise<void>;
}

export interface IntegrationsHarness {
  database: TestDatabase;
  nats: TestNats;
  todoist: HarnessTodoist;
  /** Every instance started so far, the ones started with the harness first. */
  instances: ServiceApp[];
  /** The first instance. */
  instance: ServiceApp;
  rpc: RpcClient;
  publisher: EventPublisher;
  prisma: PrismaClient;
  connections: ConnectionRepository;
  /** In the test's namespace, as the service's own keys are. */
  redis: Redis;
  sql: pg.Client;
  /** The variables of a service instance (a fresh port each call); `extra` adds or overrides. */
  serviceEnv(extra?: Record<string, string>): Promise<Record<string, string>>;
  env(extra?: Record<string, string>): Promise<IntegrationsEnv>;
  /** Starts another instance in this process; `stop` stops it with the rest. */
  startInstance(extra?: Record<string, string>): Promise<ServiceApp>;
  connectUser(
    label: string,
    tasks?: TaskInput[],
    options?: ConnectUserOptions,
  ): Promise<ConnectedUser>;
  /**
   * A removal of the user's Todoist connection, begun in a transaction of its own and not
   * committed: it holds the row until `commit`. `end` closes it, committed or not.
   */
  beginConnectionRemoval(userId: string): Promise<PendingRemoval>;
  /**
   * Resolves once some query in the test's database waits for a lock: the service's work has
   * reached a row a transaction the test holds open has locked.
   */
  untilAQueryWaitsOnALock(): Promise<void>;
  /** Every `task.completed` of the user (any user: `*`) in SIGNALS, oldest first. */
  taskCompletedOf(userId: string): Promise<Array<Envelope<'task.completed'>>>;
  stop(): Promise<void>;
}

/**
 * The integrations service on real NATS, Redis and Postgres (a scratch database and namespace
 * per test file) against the local Todoist, with what its tests read and write around it.
 */
export async function startIntegrationsHarness(
  name: string,
  options: IntegrationsHarnessOptions = {},
): Promise<IntegrationsHarness> {
  const key = randomBytes(32);
  const client = options.client ?? TEST_CLIENT;
  const infrastructure = await testInfrastructure();
  /** Undoes what was set up so far, last first: on `stop`, or when a later setup step fails. */
  const teardown: Array<() => Promise<unknown>> = [];
  let settingUp = true;
  const stop = async () => {
    for (let undo = teardown.pop(); undo; undo = teardown.pop()) await undo();
  };
  async function step<T>(make: () => Promise<T>, undo: (made: T) => Promise<unknown>) {
    let made: T;
    try {
      made = await make();
    } catch (error) {
      if (settingUp) await stop();
      throw error;
    }
    teardown.push(() => undo(made));
    return made;
  }

  const database = await step(
    () =>
      createTestDatabase({
        services: ['integrations'],
        connectionString: infrastructure.databaseUrl,
      }),
    (made) => made.drop(),
  );
  const nats = await step(
    () => createTestNats(name),
    (made) => made.cleanup(),
  );
  const todoistOptions = {
    clientId: client.id,
    clientSecret: client.secret,
    redirectUri: client.redirectUri,
    ...(options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl }),
    ...(options.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: options.tokenTtlSeconds }),
  };
  const todoist = await step<HarnessTodoist & { stop(): Promise<void> }>(
    () =>
      options.todoist === 'in-process'
        ? createLocalTodoist(todoistOptions).then((local) => ({ ...local, stop: local.close }))
        : startLocalTodoistProcess(todoistOptions),
    (made) => made.stop(),
  );

  const serviceEnv = async (extra: Record<string, string> = {}) =>
    serviceTestEnv(nats, {
      ...options.sharedEnv,
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
      TODOIST_API_URL: todoist.apiUrl,
      TODOIST_OAUTH_URL: todoist.oauthUrl,
      TODOIST_CLIENT_ID: client.id,
      TODOIST_CLIENT_SECRET: client.secret,
      TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
      ...extra,
    });
  const env = async (extra: Record<string, string> = {}) =>
    loadIntegrationsEnv(await serviceEnv(extra));

  const instances: ServiceApp[] = [];
  const startInstance = async (extra: Record<string, string> = {}) => {
    const instance = await step(
      async () => {
        const app = await createApp(await env(extra));
        await app.start();
        return app;
      },
      (made) => made.stop(),
    );
    instances.push(instance);
    return instance;
  };
  for (let i = 0; i < (options.instances ?? 1); i += 1) await startInstance();

  const rpc = new RpcClient(nats.nc, nats.topology);
  const publisher = new EventPublisher(nats.js, nats.topology);
  const prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'integrations') });
  teardown.push(() => prisma.$disconnect());
  const connections = new ConnectionRepository(prisma, new TokenCipher([{ kid: 'k1', key }]));
  const redis = createRedisClient(infrastructure.redisUrl, nats.topology.namespace, 'test');
  teardown.push(() => redis.quit());
  const sql = await step(
    async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      return client;
    },
    (made) => made.end(),
  );

  async function connectUser(
    label: string,
    tasks: TaskInput[] = [],
    { known = true, sync = false }: ConnectUserOptions = {},
  ): Promise<ConnectedUser> {
    const userId = `${label}_${randomBytes(4).toString('hex')}`;
    const todoistUser = await todoist.control.addUser();
    const added = tasks.length
      ? await todoist.control.addTasks(todoistUser.id, tasks, { notify: false })
      : [];
    const granted = known
      ? await grantTokens(todoist, client, todoistUser.id)
      : { access_token: `never-issued-${randomBytes(12).toString('hex')}` };
    const expiresIn = granted.expires_in ?? null;
    await connections.save({
      userId,
      provider: 'todoist',
      providerUserId: todoistUser.id,
      scope: 'data:read_write',
      tokens: {
        accessToken: granted.access_token,
        refreshToken: granted.refresh_token ?? null,
        accessTokenExpiresAt: expiresIn === null ? null : new Date(Date.now() + expiresIn * 1000),
      },
    });
    if (sync) await instances[0]!.app.get(TaskSyncCoordinator).syncNow(userId);
    return {
      userId,
      todoistUserId: todoistUser.id,
      token: granted.access_token,
      refreshToken: granted.refresh_token ?? null,
      expiresIn,
      taskIds: added.map((task) => task.id),
    };
  }

  async function beginConnectionRemoval(userId: string): Promise<PendingRemoval> {
    const removal = new pg.Client({ connectionString: database.url });
    await removal.connect();
    try {
      await removal.query('BEGIN');
      await removal.query(
        `DELETE FROM integrations.connection WHERE user_id = $1 AND provider = 'todoist'`,
        [userId],
      );
    } catch (error) {
      await removal.end();
      throw error;
    }
    return {
      commit: async () => {
        await removal.query('COMMIT');
      },
      end: () => removal.end(),
    };
  }

  async function untilAQueryWaitsOnALock(): Promise<void> {
    await expectEventually(async () => {
      const [waiting] = await prisma.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      expect(waiting!.n).toBeGreaterThan(0);
    });
  }

  settingUp = false;
  return {
    database,
    nats,
    todoist,
    instances,
    get instance() {
      return instances[0]!;
    },
    rpc,
    publisher,
    prisma,
    connections,
    redis,
    sql,
    serviceEnv,
    env,
    startInstance,
    connectUser,
    beginConnectionRemoval,
    untilAQueryWaitsOnALock,
    taskCompletedOf: (userId) =>
      readSignals<'task.completed'>(nats, `signals.task.completed.${userId}`),
    stop,
  };
}
