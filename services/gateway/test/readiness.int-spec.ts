import { createTestDatabase, type TestDatabase } from '@oo/database';
import { createRedisClient } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  createTestNats,
  expectEventually,
  freePort,
  startServiceProcess,
  stopProcesses,
  testInfrastructure,
  waitForHealth,
  type ServiceProcess,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import { devSignIn } from './support/dev-sign-in.js';

const PUBLIC_URL = 'http://oo.test';
/** How long auth stays away after the gateway started: the unlucky order of `npm start`. */
const AUTH_ARRIVES_AFTER_MS = 3_000;
/** Signed-in requests fired at once, the moment the gateway first says it is ready. */
const BURST = 50;

interface Health {
  status: number;
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

async function health(url: string): Promise<Health> {
  const response = await fetch(`${url}/health`);
  const body = (await response.json()) as { checks: Health['checks'] };
  return { status: response.status, checks: body.checks };
}

/** The status of a GET, its body read (an unread one holds the connection); 0 when refused. */
async function statusOf(url: string): Promise<number> {
  const response = await fetch(url).catch(() => undefined);
  await response?.text();
  return response?.status ?? 0;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway readiness: started before auth, ready only once it can verify sessions', () => {
  let database: TestDatabase;
  let nats: TestNats;
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth'] });
    nats = await createTestNats('gateway_readiness');
  });

  afterAll(async () => {
    await stopProcesses(started.map((service) => service.process));
    const redis = createRedisClient((await testInfrastructure()).redisUrl, '', 'test');
    const keys = await redis.keys(`${nats.topology.namespace}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await nats.cleanup();
    await database.drop();
  });

  it('is live but unready while auth is away, and answers every signed-in request once ready', async () => {
    const shared = await serviceTestEnv(nats, { PUBLIC_URL });
    const authPort = await freePort();
    const gateway = await startServiceProcess(
      'gateway',
      { ...shared, AUTH_URL: `http://127.0.0.1:${authPort}` },
      { waitUntilReady: false },
    );
    started.push(gateway);

    // The process is up: liveness says so, readiness says what it still lacks.
    await expectEventually(
      async () => expect(await statusOf(`${gateway.url}/health/live`)).toBe(200),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(await (await fetch(`${gateway.url}/health/live`)).json()).toEqual({
      status: 'ok',
      service: 'gateway',
    });
    // Watched the whole time auth is away (as a platform's probes would): alive, never ready.
    const whileAway: Array<{ live: number; ready: number; sessionKeys?: string }> = [];
    const awayUntil = Date.now() + AUTH_ARRIVES_AFTER_MS;
    while (Date.now() < awayUntil) {
      const ready = await health(gateway.url);
      const live = await statusOf(`${gateway.url}/health/live`);
      whileAway.push({
        live,
        ready: ready.status,
        sessionKeys: ready.checks['session_keys']?.status,
      });
      await sleep(100);
    }
    expect(whileAway.length).toBeGreaterThan(1);
    expect(new Set(whileAway.map((probe) => JSON.stringify(probe)))).toEqual(
      new Set([JSON.stringify({ live: 200, ready: 503, sessionKeys: 'down' })]),
    );
    const unready = await health(gateway.url);
    expect(unready.checks).toMatchObject({
      nats: { status: 'up' },
      redis: { status: 'up' },
      session_keys: { status: 'down' },
    });
    expect(unready.checks['session_keys']?.error).toMatch(/not loaded yet \(rpc\.auth\.keys: /);

    const auth = await startServiceProcess(
      'auth',
      { ...shared, DATABASE_URL: database.url, SESSION_SIGNING_KEYS: generateSigningKey('k1') },
      { port: authPort, waitUntilReady: false },
    );
    started.push(auth);
    // Signing in is a public route the gateway proxies to auth's HTTP: it needs auth up, not
    // the keys, so the session may exist before the gateway can verify it.
    // A process start on a loaded 2-core machine can take a while (as startServiceProcess allows).
    await waitForHealth(auth.url, { timeoutMs: 90_000, process: auth.process });
    const user = await devSignIn(gateway.url, PUBLIC_URL, 'early.bird@example.com');

    // Polled as a load balancer would; the burst goes out the moment the first 200 arrives.
    const beforeReady: Health[] = [];
    await expectEventually(
      async () => {
        const answer = await health(gateway.url);
        if (answer.status !== 200) beforeReady.push(answer);
        expect(answer.status).toBe(200);
      },
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    const burst = await Promise.all(
      Array.from({ length: BURST }, async () => {
        const response = await fetch(`${gateway.url}/api/session`, {
          headers: { cookie: user.cookie },
        });
        await response.text();
        return response.status;
      }),
    );
    expect(burst.filter((status) => status !== 200)).toEqual([]);
    // Every "not ready" on the way named the missing keys, and only them.
    expect(
      beforeReady.filter(
        (answer) =>
          answer.status !== 503 ||
          answer.checks['session_keys']?.status !== 'down' ||
          answer.checks['nats']?.status !== 'up' ||
          answer.checks['redis']?.status !== 'up',
      ),
    ).toEqual([]);
  }, 180_000);
});
