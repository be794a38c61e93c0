import { createHmac, randomUUID } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  consumerCaughtUp,
  expectEventually,
  freePort,
  readSignals,
  serviceTestEnv,
  startLocalTodoistProcess,
  startServiceProcess,
  stopProcesses,
  testInfrastructure,
  type LocalTodoistProcess,
  type RunningProcess,
  type TestNats,
} from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadRecommenderEnv } from '../src/config/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TipRepository } from '../src/tips/tip.repository.js';

const CLIENT = { id: 'oo-reward-client', secret: 'oo-reward-secret' };

/**
 * The delayed reward as it happens: a user completes, in Todoist, a task oO suggested. The
 * local Todoist (its own process) sends its signed webhook to the gateway (its own process),
 * integrations (its own process) turns it into `signals.task.completed` (via webhook), and the
 * recommender (in this process) rewards the tip +1 — once, although Todoist delivers the
 * webhook again — with `source: webhook`, so integrations does not close the task again.
 */
describe('a task completed in Todoist rewards its tip, end to end', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let todoist: LocalTodoistProcess;
  let base: string;
  let recommender: ServiceApp | undefined;
  let prisma: PrismaClient;
  let rpc: RpcClient;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['integrations', 'recommender'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    nats = await createTestNats('recommender_webhook_reward');
    const gatewayPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    todoist = await startLocalTodoistProcess({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: `${base}/integrations/todoist/callback`,
      webhookUrl: `${base}/webhooks/todoist`,
    });
    processes.push(todoist.process);
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL: base });
    const [integrations, gateway] = await Promise.all([
      startServiceProcess('integrations', {
        ...env,
        TODOIST_CLIENT_ID: CLIENT.id,
        TODOIST_CLIENT_SECRET: CLIENT.secret,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      }),
      startServiceProcess('gateway', env, { port: gatewayPort, waitUntilReady: false }),
    ]);
    processes.push(integrations.process, gateway.process);
    recommender = await createApp(loadRecommenderEnv({ ...env, PORT: String(await freePort()) }));
    await recommender.start();
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
    rpc = new RpcClient(nats.nc, nats.topology);
    // Webhooks reach integrations once a signed delivery through the gateway is answered 200.
    await expectEventually(async () => expect((await postSignedHello()).status).toBe(200), {
      timeoutMs: 90_000,
      intervalMs: 250,
    });
  }, 180_000);

  afterAll(async () => {
    await recommender?.stop();
    await stopProcesses(processes);
    await prisma?.$disconnect();
    await nats?.cleanup();
    await database?.drop();
  });

  function postSignedHello(): Promise<Response> {
    const body = JSON.stringify({
      event_name: 'project:added',
      user_id: '0',
      event_data: { id: 'p1', name: 'Garden' },
      initiator: { id: '0' },
      triggered_at: new Date().toISOString(),
      version: '10',
    });
    return fetch(`${base}/webhooks/todoist`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-todoist-hmac-sha256': createHmac('sha256', CLIENT.secret).update(body).digest('base64'),
        'x-todoist-delivery-id': randomUUID(),
      },
      body,
    });
  }

  /** An oO user connected to a new Todoist account through the OAuth flow, as integrations runs it. */
  async function connectedUser(taskContent: string) {
    const userId = `u_reward_${randomBytes(4).toString('hex')}`;
    const sessionId = randomUUID();
    const todoistUser = await todoist.control.addUser();
    const [task] = await todoist.control.addTasks(todoistUser.id, [{ content: taskContent }], {
      notify: false,
    });
    const { url } = await rpc.call(
      'rpc.integrations.connect_url',
      { userId, sessionId, provider: 'todoist' },
      20_000,
    );
    const authorize = new URL(url);
    const decision = await fetch(`${todoist.oauthUrl}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({
        ...Object.fromEntries(authorize.searchParams),
        decision: 'allow',
        user_id: todoistUser.id,
      }),
      redirect: 'manual',
    });
    const callback = new URL(decision.headers.get('location') ?? '');
    await rpc.call(
      'rpc.integrations.complete',
      {
        userId,
        sessionId,
        provider: 'todoist',
        code: callback.searchParams.get('code')!,
        state: callback.searchParams.get('state')!,
      },
      20_000,
    );
    // The task as integrations serves it to the recommender (this also syncs the account).
    const { tasks } = await rpc.call('rpc.integrations.tasks', { userId }, 20_000);
    expect(tasks.map((candidate) => candidate.taskId)).toEqual([task!.id]);
    return { userId, todoistUserId: todoistUser.id, taskId: task!.id };
  }

  it('rewards +1 once (source webhook) and leaves the task closed once at Todoist', async () => {
    const user = await connectedUser('Post the parcel');
    const { tip } = await new TipRepository(prisma).createTip({
      userId: user.userId,
      channel: 'web',
      taskId: user.taskId,
      provider: 'todoist',
      title: 'Post the parcel',
      priority: 1,
      due: null,
      url: null,
      policy: 'linucb-d5',
      propensity: 0.95,
      features: [0.5, -0.25, 1, 0.125, 1],
      shadow: null,
      seed: 11n,
      candidateCount: 1,
      latencyMs: 2,
      servedAt: new Date(Date.now() - 10 * 60_000),
    });

    await todoist.control.completeTask(user.taskId);
    const rewardOf = () => prisma.tipReaction.findMany({ where: { tipId: tip.id } });
    await expectEventually(
      async () =>
        expect(await rewardOf()).toEqual([
          expect.objectContaining({ action: 'done', reward: 1, source: 'webhook' }),
        ]),
      { timeoutMs: 30_000 },
    );

    // Todoist delivers the same webhook again: still one reward.
    const delivery = (await todoist.control.deliveries())
      .filter((sent) => sent.userId === user.todoistUserId && sent.eventName === 'item:completed')
      .at(-1)!;
    const again = await todoist.control.redeliver(delivery.deliveryId);
    expect(again.responseStatus).toBe(200);

    const feedback = async () =>
      (await readSignals<'tip.feedback'>(nats, 'signals.tip.feedback.*')).filter(
        (event) => event.data.tipId === tip.id,
      );
    await expectEventually(async () =>
      expect((await feedback()).map((event) => event.data)).toEqual([
        expect.objectContaining({ action: 'done', reward: 1, source: 'webhook' }),
      ]),
    );
    const completions = (
      await readSignals<'task.completed'>(nats, 'signals.task.completed.*')
    ).filter((event) => event.data.taskId === user.taskId);
    expect(completions.map((event) => event.data.via)).toEqual(['webhook']);
    expect(await rewardOf()).toHaveLength(1);
    // Once integrations has taken the feedback in (already in the stream, so nothing pending
    // and nothing unacked means its close-on-done handled it)…
    await consumerCaughtUp(nats, 'integrations__tip_feedback');
    // A reward oO inferred is not the user's done: integrations sends no close for the task.
    const closes = (await todoist.control.requests()).filter(
      (request) =>
        request.method === 'POST' && request.path.endsWith(`/tasks/${user.taskId}/close`),
    );
    expect(closes).toEqual([]);
    expect(await todoist.control.completionCount(user.taskId)).toBe(1);
  });
});
