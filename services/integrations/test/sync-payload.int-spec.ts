import { randomBytes } from 'node:crypto';
import { createEnvelope, validateEnvelope, type Envelope, type SyncedTask } from '@oo/contracts';
import { createTestDatabase, createPrismaAdapter, type TestDatabase } from '@oo/database';
import { createLocalTodoist, type LocalTodoist, type TaskInput } from '@oo/local-todoist';
import { EventPublisher, RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  expectEventually,
  freePort,
  serviceTestEnv,
  testInfrastructure,
  tipFeedbackData,
  type TestNats,
} from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadIntegrationsEnv } from '../src/config/env.js';
import { ConnectionRepository } from '../src/connections/connection.repository.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TokenCipher } from '../src/tokens/token-cipher.js';
import { grantAccessToken } from './support/local-todoist-grant.js';

const CLIENT = {
  id: 'oo-test-client',
  secret: 'oo-test-secret',
  redirectUri: 'http://127.0.0.1:9/integrations/todoist/callback',
};

/** The schema's longest title; 5,000 of them are ~11 MB of JSON, ten times NATS's default. */
const LONGEST_TITLE = 2000;
const URGENT_DUE = 50;

/**
 * A user whose open tasks do not fit in one NATS message still gets `task.synced` and an
 * `rpc.integrations.tasks` reply, with the tasks that matter most — real NATS (its own
 * `max_payload`), Redis, Postgres and the local Todoist.
 */
describe('a task set larger than one NATS message', () => {
  const key = randomBytes(32);
  let database: TestDatabase;
  let nats: TestNats;
  let todoist: LocalTodoist;
  let instance: ServiceApp;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['integrations'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    nats = await createTestNats('integrations_payload');
    todoist = await createLocalTodoist({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: CLIENT.redirectUri,
    });
    instance = await createApp(
      loadIntegrationsEnv(
        await serviceTestEnv(nats, {
          DATABASE_URL: database.url,
          PORT: String(await freePort()),
          TODOIST_API_URL: todoist.apiUrl,
          TODOIST_CLIENT_ID: CLIENT.id,
          TODOIST_CLIENT_SECRET: CLIENT.secret,
          TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
        }),
      ),
    );
    await instance.start();
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'integrations') });
  }, 60_000);

  afterAll(async () => {
    await instance?.stop();
    await prisma?.$disconnect();
    await todoist?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  /** Connects a new oO user to the Todoist user; returns the oO user id. */
  async function connect(label: string, todoistUserId: string): Promise<string> {
    const userId = `${label}_${randomBytes(4).toString('hex')}`;
    await new ConnectionRepository(prisma, new TokenCipher([{ kid: 'k1', key }])).save({
      userId,
      provider: 'todoist',
      providerUserId: todoistUserId,
      scope: 'data:read_write',
      tokens: {
        accessToken: await grantAccessToken(todoist, CLIENT, todoistUserId),
        refreshToken: null,
        accessTokenExpiresAt: null,
      },
    });
    return userId;
  }

  it('publishes task.synced and answers the RPC for 5,000 tasks of 2,000-character titles, keeping the urgent due ones', async () => {
    const maxPayload = nats.nc.info?.max_payload;
    expect(maxPayload).toBeGreaterThan(0);
    const todoistUser = await todoist.control.addUser();
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
    await todoist.control.addTasks(todoistUser.id, backlog, { notify: false });
    const urgentIds = (
      await todoist.control.addTasks(todoistUser.id, urgent, { notify: false })
    ).map((task) => task.id);
    const userId = await connect('payload', todoistUser.id);

    const answer = await new RpcClient(nats.nc, nats.topology).call(
      'rpc.integrations.tasks',
      { userId },
      60_000,
    );

    expect(answer.status).toBe('ok');
    expect(answer.tasks.length).toBeGreaterThan(URGENT_DUE);
    expect(answer.tasks.length).toBeLessThan(5000);
    expect(answer.tasks.map((task) => task.taskId)).toEqual(expect.arrayContaining(urgentIds));
    expect(answer.tasks.every((task) => task.title.length === LONGEST_TITLE)).toBe(true);

    const stored = await nats.jsm.streams.getMessage(nats.topology.signalsStream, {
      last_by_subj: nats.topology.wire(`signals.task.synced.${userId}`),
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
    const maxPayload = nats.nc.info!.max_payload;
    const todoistUser = await todoist.control.addUser();
    // Twice what one message holds, well under MAX_SYNCED_TASKS.
    const count = Math.ceil((2 * maxPayload) / LONGEST_TITLE);
    const inputs: TaskInput[] = Array.from({ length: count }, (_, i) => ({
      content: `${i} ${'Something to do some day. '.repeat(80)}`.slice(0, LONGEST_TITLE),
    }));
    const ids = (await todoist.control.addTasks(todoistUser.id, inputs, { notify: false })).map(
      (task) => task.id,
    );
    const userId = await connect('beyond_cap', todoistUser.id);

    const answer = await new RpcClient(nats.nc, nats.topology).call(
      'rpc.integrations.tasks',
      { userId },
      60_000,
    );

    expect(answer.status).toBe('ok');
    expect(answer.tasks.length).toBeGreaterThan(0);
    expect(answer.tasks.length).toBeLessThan(count);
    const snapshot = await prisma.taskSnapshot.findUniqueOrThrow({
      where: { userId_provider: { userId, provider: 'todoist' } },
    });
    const stored = (snapshot.tasks as unknown as SyncedTask[]).map((task) => task.taskId);
    expect(stored.sort()).toEqual([...ids].sort());

    // "Done" on a task the reply had no room for: it is still open, so it closes at Todoist.
    const shown = new Set(answer.tasks.map((task) => task.taskId));
    const leftOut = ids.find((id) => !shown.has(id))!;
    await new EventPublisher(nats.js, nats.topology).publishEnvelope(
      createEnvelope('tip.feedback', userId, tipFeedbackData({ taskId: leftOut })),
    );
    await expectEventually(
      async () => expect((await todoist.control.task(leftOut))?.checked).toBe(true),
      { timeoutMs: 30_000 },
    );
  }, 120_000);
});
