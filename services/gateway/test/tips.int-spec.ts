import { randomUUID } from 'node:crypto';
import type { Tip } from '@oo/contracts';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { createLocalTodoist, type LocalTodoist, type TaskInput } from '@oo/local-todoist';
import { RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  connectTodoistByRpc,
  createTestNats,
  devSignIn,
  expectEventually,
  freePort,
  readMetric,
  readSignals,
  serviceTestEnv,
  startServiceProcess,
  stopProcesses,
  type RunningProcess,
  type SignedIn,
  type TestNats,
} from '@oo/testing';
import pg from 'pg';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const PUBLIC_URL = 'http://localhost:5173';
const CLIENT_ID = 'oo-tips-test';
const CLIENT_SECRET = 'oo-tips-secret';

/**
 * `GET /api/tip` and `GET /api/tips/:tipId` as the SPA meets them: the gateway in this process;
 * auth, integrations, the scorer and two recommender instances as processes, on real NATS,
 * Redis and Postgres, with the local Todoist as the task app.
 */
describe('tips through the gateway', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let rpc: RpcClient;
  let todoist: LocalTodoist;
  let gateway: ServiceApp;
  let base: string;
  let sql: pg.Client;
  const recommenderUrls: string[] = [];
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth', 'integrations', 'recommender'] });
    nats = await createTestNats('gateway_tips');
    rpc = new RpcClient(nats.nc, nats.topology);
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${PUBLIC_URL}/integrations/todoist/callback`,
    });
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL });
    const started = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      startServiceProcess('integrations', {
        ...env,
        TODOIST_CLIENT_ID: CLIENT_ID,
        TODOIST_CLIENT_SECRET: CLIENT_SECRET,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      }),
      startServiceProcess('scorer', env),
      startServiceProcess('recommender', env),
      startServiceProcess('recommender', env),
    ]);
    processes.push(...started.map(({ process }) => process));
    recommenderUrls.push(started[3].url, started[4].url);
    gateway = await createGateway(
      loadGatewayEnv({ ...env, PORT: String(await freePort()), AUTH_URL: started[0].url }),
    );
    base = await gateway.start();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 240_000);

  afterAll(async () => {
    await sql?.end();
    await gateway?.stop();
    await stopProcesses(processes);
    await todoist?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  async function signIn(email: string): Promise<SignedIn> {
    let signedIn: SignedIn | undefined;
    await expectEventually(async () => {
      signedIn = await devSignIn(base, PUBLIC_URL, email);
    });
    await expectEventually(async () => {
      const session = await fetch(`${base}/api/session`, { headers: { cookie: signedIn!.cookie } });
      expect(session.status).toBe(200);
    });
    return signedIn!;
  }

  async function connect(user: SignedIn, tasks: TaskInput[]): Promise<void> {
    const todoistUser = await todoist.control.addUser();
    await todoist.control.addTasks(todoistUser.id, tasks, { notify: false });
    await connectTodoistByRpc(rpc, todoist, user.userId, todoistUser.id, tasks.length);
  }

  const get = (path: string, user?: SignedIn): Promise<Response> =>
    fetch(`${base}${path}`, { headers: user ? { cookie: user.cookie } : {} });

  it('answers 204 while no task app is connected, then the tip, and 401 without a session', async () => {
    const ada = await signIn(`ada-${randomUUID()}@example.com`);
    const nothing = await get('/api/tip', ada);
    expect(nothing.status).toBe(204);
    expect(await nothing.text()).toBe('');

    await connect(ada, [{ content: 'Pay rent', priority: 4 }, { content: 'Water the plants' }]);
    const response = await get('/api/tip', ada);
    expect(response.status).toBe(200);
    const tip = (await response.json()) as Tip;
    expect(['Pay rent', 'Water the plants']).toContain(tip.title);
    expect(tip.why.summary.length).toBeGreaterThan(0);
    expect((await (await get('/api/tip', ada)).json()) as Tip).toEqual(tip);

    expect((await get('/api/tip')).status).toBe(401);
    expect((await get('/api/tip?userId=someone', ada)).status).toBe(400);
  });

  it('GET /api/tips/:tipId gives the user’s own tip, and 404 for another user’s or an unknown one', async () => {
    const ada = await signIn(`ada-${randomUUID()}@example.com`);
    const bob = await signIn(`bob-${randomUUID()}@example.com`);
    await connect(ada, [{ content: 'Book the dentist' }]);
    const tip = (await (await get('/api/tip', ada)).json()) as Tip;

    const own = await get(`/api/tips/${tip.tipId}`, ada);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual(tip);

    for (const [path, user] of [
      [`/api/tips/${tip.tipId}`, bob],
      [`/api/tips/${randomUUID()}`, ada],
      ['/api/tips/not-a-tip-id', ada],
    ] as const) {
      const refused = await get(path, user);
      expect(refused.status).toBe(404);
      expect(await refused.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('100 concurrent GET /api/tip for one user on two recommender instances: one tip id for all', async () => {
    const carol = await signIn(`carol-${randomUUID()}@example.com`);
    await connect(
      carol,
      Array.from({ length: 8 }, (_, k) => ({ content: `Task ${k}`, priority: (k % 4) + 1 })),
    );

    const responses = await Promise.all(Array.from({ length: 100 }, () => get('/api/tip', carol)));
    expect(responses.map(({ status }) => status)).toEqual(Array.from({ length: 100 }, () => 200));
    const tips = (await Promise.all(responses.map((response) => response.json()))) as Tip[];
    expect(new Set(tips.map(({ tipId }) => tipId)).size).toBe(1);

    const { rows } = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM recommender.tip WHERE user_id = $1',
      [carol.userId],
    );
    expect(rows[0]!.n).toBe(1);
    const served = await readSignals<'tip.served'>(nats, `signals.tip.served.${carol.userId}`);
    expect(served.map((event) => event.data.tipId)).toEqual([tips[0]!.tipId]);
    // Both instances answered some of the requests (the race was real): one decided and
    // logged the tip, the other was handed it by the database or served it as the open one.
    const answered = async (url: string): Promise<number> => {
      const series =
        'oo_recommender_decision_duration_seconds_count{service="recommender",outcome=';
      return (await readMetric(url, `${series}"new"`)) + (await readMetric(url, `${series}"open"`));
    };
    for (const url of recommenderUrls) expect(await answered(url)).toBeGreaterThan(0);
  });
});
