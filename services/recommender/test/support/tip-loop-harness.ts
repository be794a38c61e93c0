import { randomBytes } from 'node:crypto';
import { RPC, type RecommendResponse, type SyncedTask } from '@oo/contracts';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import type { TaskInput } from '@oo/local-todoist';
import { EventPublisher, RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  connectTodoistByRpc,
  createTestNats,
  freePort,
  serviceTestEnv,
  startLocalTodoistProcess,
  startServiceProcess,
  startWebhookForwarder,
  stopProcesses,
  type LocalTodoistProcess,
  type RunningProcess,
  type TestNats,
  type WebhookForwarder,
} from '@oo/testing';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadRecommenderEnv } from '../../src/config/env.js';

const CLIENT_ID = 'oo-recommender-test';
const CLIENT_SECRET = 'oo-recommender-secret';

export interface TipUser {
  userId: string;
  todoistUserId: string;
  /** The tasks integrations answers for the user, in its order. */
  tasks: SyncedTask[];
}

export interface TipLoopHarness {
  nats: TestNats;
  rpc: RpcClient;
  publisher: EventPublisher;
  todoist: LocalTodoistProcess;
  sql: pg.Client;
  /** The recommender instances started so far (in this process). */
  recommenders: ServiceApp[];
  recommenderUrls: string[];
  /** The scorer process, until `stopScorer`. */
  scorer: RunningProcess | undefined;
  /** The integrations process (a test may pause it: SIGSTOP, SIGCONT). */
  integrations: RunningProcess;
  startRecommender(extra?: Record<string, string>): Promise<ServiceApp>;
  stopScorer(): Promise<void>;
  /** A local Todoist user with these tasks, connected to a fresh oO user through integrations. */
  connectedUser(label: string, tasks: TaskInput[]): Promise<TipUser>;
  recommend(userId: string, now?: Date): Promise<RecommendResponse>;
  stop(): Promise<void>;
}

/**
 * The tip loop's neighbours as they run in production: integrations, the scorer, profile and
 * the local Todoist as processes (webhooks reach integrations through a stand-in for the gateway's
 * route); the recommender in this process, on real NATS, Redis and Postgres.
 */
export async function startTipLoopHarness(
  name: string,
  options: { scorerEnv?: Record<string, string> } = {},
): Promise<TipLoopHarness> {
  const database: TestDatabase = await createTestDatabase({
    services: ['recommender', 'integrations', 'profile'],
  });
  const nats = await createTestNats(name);
  const rpc = new RpcClient(nats.nc, nats.topology);
  const publisher = new EventPublisher(nats.js, nats.topology);
  const forwarder: WebhookForwarder = await startWebhookForwarder(rpc);
  const todoist = await startLocalTodoistProcess({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: 'http://127.0.0.1:9/integrations/todoist/callback',
    webhookUrl: forwarder.url,
  });
  const env = await serviceTestEnv(nats, { DATABASE_URL: database.url });
  const processes: RunningProcess[] = [];
  const [integrations, scorer, profile] = await Promise.all([
    startServiceProcess('integrations', {
      ...env,
      TODOIST_CLIENT_ID: CLIENT_ID,
      TODOIST_CLIENT_SECRET: CLIENT_SECRET,
      TODOIST_OAUTH_URL: todoist.oauthUrl,
      TODOIST_API_URL: todoist.apiUrl,
      TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    }),
    startServiceProcess('scorer', { ...env, ...options.scorerEnv }),
    startServiceProcess('profile', env),
  ]);
  processes.push(integrations.process, scorer.process, profile.process);
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();

  const recommenders: ServiceApp[] = [];
  const recommenderUrls: string[] = [];
  const harness: TipLoopHarness = {
    nats,
    rpc,
    publisher,
    todoist,
    sql,
    recommenders,
    recommenderUrls,
    scorer: scorer.process,
    integrations: integrations.process,
    async startRecommender(extra = {}) {
      const port = await freePort();
      const app = await createApp(loadRecommenderEnv({ ...env, PORT: String(port), ...extra }));
      recommenders.push(app);
      recommenderUrls.push(await app.start());
      return app;
    },
    async stopScorer() {
      if (!harness.scorer) return;
      await stopProcesses([harness.scorer]);
      processes.splice(processes.indexOf(harness.scorer), 1);
      harness.scorer = undefined;
    },
    async connectedUser(label, tasks) {
      const userId = `${label}_${randomBytes(4).toString('hex')}`;
      const todoistUser = await todoist.control.addUser();
      await todoist.control.addTasks(todoistUser.id, tasks, { notify: false });
      const synced = await connectTodoistByRpc(rpc, todoist, userId, todoistUser.id, tasks.length);
      return { userId, todoistUserId: todoistUser.id, tasks: synced };
    },
    recommend(userId, now) {
      return rpc.call(
        RPC.recommender.recommend,
        { userId, channel: 'web', ...(now ? { now: now.toISOString() } : {}) },
        10_000,
      );
    },
    async stop() {
      await Promise.all(recommenders.map((app) => app.stop()));
      await sql.end();
      await stopProcesses(processes);
      await todoist.stop();
      await forwarder.close();
      await nats.cleanup();
      await database.drop();
    },
  };
  return harness;
}
