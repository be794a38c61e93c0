import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@oo/contracts';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { EventPublisher, RpcClient } from '@oo/messaging';
import { createRedisClient, type ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  createTestNats,
  expectEventually,
  freePort,
  readDeadLetters,
  startServiceProcess,
  stopProcesses,
  tablesMentioning,
  tipFeedbackData,
  type RunningProcess,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import pg from 'pg';
import { devSignIn } from './support/dev-sign-in.js';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const PUBLIC_URL = 'http://oo.test';
const DATA_SERVICES = ['auth', 'profile', 'integrations', 'recommender', 'notifier'] as const;

/**
 * Account deletion across the whole system (every service a separate process but the
 * gateway): after DELETE /api/me nothing of the user is left in any schema, Redis or SIGNALS,
 * even when profile, which owns the saga, is killed right after accepting the request.
 */
describe('deleting an account really deletes it', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  let env: Record<string, string>;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: [...DATA_SERVICES] });
    nats = await createTestNats('gateway_deletion');
    env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL });
    const started = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      ...['profile', 'scorer', 'integrations', 'recommender', 'notifier'].map((name) =>
        startServiceProcess(name, env),
      ),
    ]);
    processes.push(...started.map((service) => service.process));
    gateway = await createGateway(
      loadGatewayEnv({ ...env, PORT: String(await freePort()), AUTH_URL: started[0].url }),
    );
    base = await gateway.start();
  }, 180_000);

  afterAll(async () => {
    await gateway.stop();
    await stopProcesses(processes);
    await nats.cleanup();
    await database.drop();
  });

  const rowsMentioning = (userId: string): Promise<string[]> =>
    tablesMentioning(database.url, DATA_SERVICES, userId);

  /**
   * A decision of the recommender with its score and a reaction, and a snoozed task, written
   * as the tip loop writes them (tip_score and tip_reaction name the user only through the tip).
   */
  async function logTipOf(userId: string): Promise<void> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tipId = randomUUID();
      await client.query(
        `INSERT INTO recommender.tip (id, user_id, channel, task_id, provider, title, priority,
           policy, propensity, features, seed, candidate_count, latency_ms, served_at)
         VALUES ($1, $2, 'web', 't1', 'todoist', 'Call the bank', 2, 'linucb-d5', 1, '[1]', 1, 1, 1, now())`,
        [tipId, userId],
      );
      await client.query(
        `INSERT INTO recommender.tip_score (tip_id, policy, task_id, features, mean, bonus, ucb)
         VALUES ($1, 'linucb-d5', 't1', '[1]', 0, 0, 0)`,
        [tipId],
      );
      await client.query(
        `INSERT INTO recommender.tip_reaction (tip_id, kind, action, reward, source, reacted_at, event_id)
         VALUES ($1, 'terminal', 'snooze', 0, 'user', now(), $2)`,
        [tipId, randomUUID()],
      );
      await client.query(
        `INSERT INTO recommender.task_hold (user_id, provider, task_id, until, reason)
         VALUES ($1, 'todoist', 't1', now() + interval '1 hour', 'snooze')`,
        [userId],
      );
    } finally {
      await client.end();
    }
  }

  async function redisKeysMentioning(userId: string): Promise<string[]> {
    const redis = createRedisClient(env['REDIS_URL']!, '', 'test');
    try {
      return await redis.keys(`${nats.topology.namespace}:*${userId}*`);
    } finally {
      await redis.quit();
    }
  }

  async function signalsOf(userId: string): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire(`signals.*.*.${userId}`),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  it('leaves no row, no key and no signal of the user, though profile was killed mid-deletion', async () => {
    const {
      userId,
      cookie,
      mutationHeaders: headers,
    } = await devSignIn(base, PUBLIC_URL, 'gone@example.com');
    const user = { id: userId };

    // Data everywhere: auth (user, identity, refresh token), profile, recommender (sign-up,
    // tip, hold), scorer (Redis), SIGNALS.
    await expectEventually(async () => {
      const patched = await fetch(`${base}/api/me`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ timezone: 'Europe/Lisbon' }),
      });
      expect(patched.status).toBe(200);
    });
    await new EventPublisher(nats.js, nats.topology).publishEnvelope(
      createEnvelope('tip.feedback', user.id, tipFeedbackData()),
    );
    const rpc = new RpcClient(nats.nc, nats.topology);
    await expectEventually(async () =>
      expect((await rpc.call('rpc.scorer.stats', { userId: user.id })).n).toBe(1),
    );
    await logTipOf(user.id);
    // The recommender records the sign-up from auth's signals.user.signed_up on its own time.
    await expectEventually(async () =>
      expect(await rowsMentioning(user.id)).toEqual(
        expect.arrayContaining([
          'auth.user_account',
          'auth.identity',
          'auth.refresh_token',
          'profile.profile',
          'recommender.signup',
          'recommender.tip',
          'recommender.task_hold',
        ]),
      ),
    );
    expect((await redisKeysMentioning(user.id)).length).toBeGreaterThan(0);

    const deletion = await fetch(`${base}/api/me`, { method: 'DELETE', headers });
    expect(deletion.status).toBe(202);
    // The owner of the saga dies at once; the other services purge and confirm meanwhile.
    const profile = processes[1]!;
    profile.kill('SIGKILL');
    await profile.exited;
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(401);
    await expectEventually(async () => expect(await redisKeysMentioning(user.id)).toEqual([]), {
      timeoutMs: 20_000,
    });

    const restarted = await startServiceProcess('profile', env);
    processes[1] = restarted.process;
    await expectEventually(
      async () =>
        expect(await rpc.call('rpc.profile.deletion_status', { userId: user.id })).toMatchObject({
          status: 'done',
          waitingFor: [],
        }),
      { timeoutMs: 30_000 },
    );

    expect(await rowsMentioning(user.id)).toEqual([]);
    expect(await redisKeysMentioning(user.id)).toEqual([]);
    expect(await signalsOf(user.id)).toBe(0);
    expect((await readDeadLetters(nats)).filter((letter) => letter.body.includes(user.id))).toEqual(
      [],
    );
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(401);
  }, 90_000);
});
