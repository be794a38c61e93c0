import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  cookieHeader,
  cookiesSetBy,
  expectEventually,
  freePortRange,
  startTsProcess,
  testInfrastructure,
  uniqueNamespace,
  type RunningProcess,
} from '@oo/testing';
import { connectToNats, jetstreamManager, Topology } from '@oo/messaging';

/** What each service's /health must report: the stores it uses and what it needs to serve. */
const EXPECTED_CHECKS: Record<string, string[]> = {
  gateway: ['nats', 'redis', 'session_keys'],
  auth: ['nats', 'postgres'],
  profile: ['nats', 'postgres'],
  integrations: ['nats', 'postgres', 'redis'],
  recommender: ['nats', 'postgres'],
  scorer: ['nats', 'redis'],
  notifier: ['nats', 'postgres', 'redis'],
};
const OFFSETS: Record<string, number> = {
  gateway: 0,
  auth: 1,
  profile: 2,
  integrations: 3,
  recommender: 4,
  scorer: 5,
  notifier: 6,
};

describe('npm start', () => {
  let system: RunningProcess | undefined;
  let databaseUrl: string;
  let namespace: string;

  afterAll(async () => {
    system?.kill('SIGKILL');
    await system?.exited;
    const admin = new pg.Client({
      connectionString: (await testInfrastructure()).databaseUrl.replace(/\/[^/]*$/, '/postgres'),
    });
    await admin.connect();
    await admin.query(
      `DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`,
    );
    await admin.end();
    const nc = await connectToNats({
      url: (await testInfrastructure()).natsUrl,
      name: 'test-cleanup',
    });
    const jsm = await jetstreamManager(nc);
    const topology = new Topology(namespace);
    for (const stream of topology.streams) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  it('brings all seven services to healthy, each reporting the stores it uses, and stops them on SIGTERM', async () => {
    const infra = await testInfrastructure();
    namespace = uniqueNamespace('start');
    databaseUrl = infra.databaseUrl.replace(
      /\/[^/]*$/,
      `/oo_start_${randomBytes(4).toString('hex')}`,
    );
    const base = await freePortRange(7);
    system = startTsProcess('libs/devkit/src/cli/start.ts', {
      NATS_URL: infra.natsUrl,
      REDIS_URL: infra.redisUrl,
      DATABASE_URL: databaseUrl,
      OO_NAMESPACE: namespace,
      OO_PORT_BASE: String(base),
      LOG_LEVEL: 'warn',
    });
    const running = system;
    await expectEventually(
      () =>
        expect(running.output()).toMatch(
          /oO is running on Node v24\.[\d.]+: all 7 services healthy\./,
        ),
      {
        timeoutMs: 100_000,
        intervalMs: 250,
      },
    );

    // "Healthy" means ready to serve: a user who signs in right away is answered, not told
    // that sessions cannot be verified yet (the gateway waits for auth's keys before it is).
    const gateway = `http://127.0.0.1:${base}`;
    const signIn = await fetch(`${gateway}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `http://localhost:${base}` },
      body: JSON.stringify({ email: 'first@example.com', name: 'First' }),
    });
    expect(signIn.status).toBe(200);
    const session = await fetch(`${gateway}/api/session`, {
      headers: { cookie: cookieHeader(cookiesSetBy(signIn)) },
    });
    expect(session.status).toBe(200);
    // The one URL it prints is the app: the gateway serves the built SPA, client routes too.
    for (const page of ['/', '/settings']) {
      const app = await fetch(`${gateway}${page}`);
      expect(app.status).toBe(200);
      expect(await app.text()).toMatch(
        /<script type="module"[^>]* src="\/assets\/index-[\w-]+\.js"/,
      );
    }

    for (const [service, checks] of Object.entries(EXPECTED_CHECKS)) {
      const response = await fetch(`http://127.0.0.1:${base + OFFSETS[service]!}/health`);
      const report = (await response.json()) as {
        status: string;
        service: string;
        checks: Record<string, { status: string }>;
      };
      expect({ status: response.status, service: report.service, body: report.status }).toEqual({
        status: 200,
        service,
        body: 'ok',
      });
      expect(Object.keys(report.checks).sort()).toEqual(checks);
      expect(Object.values(report.checks).every((check) => check.status === 'up')).toBe(true);
      const metrics = await (
        await fetch(`http://127.0.0.1:${base + OFFSETS[service]!}/metrics`)
      ).text();
      expect(metrics).toContain(`service="${service}"`);
    }

    // No TODOIST_CLIENT_ID: a local Todoist with the demo tasks stands in for the real one.
    const todoist = `http://localhost:${base + 9}`;
    expect(running.output()).toContain(`todoist       ${todoist} (local, demo tasks`);
    const authorize = await fetch(
      `${todoist}/oauth/authorize?client_id=oo-local-dev&scope=data:read_write&state=s`,
    );
    expect(authorize.status).toBe(200);
    expect(await authorize.text()).toContain('Allow');

    running.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    await expect(fetch(`${todoist}/health`)).rejects.toThrow();
    expect(running.output()).toContain('stopped');
  }, 150_000);
});
