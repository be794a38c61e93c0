import { randomBytes } from 'node:crypto';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  expectEventually,
  freePort,
  serviceTestEnv,
  startLocalTodoistProcess,
  testInfrastructure,
  type LocalTodoistProcess,
  type TestNats,
} from '@oo/testing';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { loadIntegrationsEnv } from '../src/config/env.js';
import { ConnectionRepository } from '../src/connections/connection.repository.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TokenCipher } from '../src/tokens/token-cipher.js';
import { grantTokens } from './support/local-todoist-grant.js';

const CLIENT = {
  id: 'oo-revoke-client',
  secret: 'oo-revoke-secret',
  redirectUri: 'http://127.0.0.1:9/integrations/todoist/callback',
};

/**
 * The revoke of a disconnected grant outlives the process that queued it: it waits in
 * `pending_revocation` (encrypted) while Todoist fails, and a later instance finishes it.
 * Real Postgres, Redis and NATS; the local Todoist as a process.
 */
describe('durable grant revocation', () => {
  const key = randomBytes(32);
  let database: TestDatabase;
  let nats: TestNats;
  let todoist: LocalTodoistProcess;
  let rpc: RpcClient;
  let prisma: PrismaClient;
  let connections: ConnectionRepository;
  let sql: pg.Client;
  const running: ServiceApp[] = [];

  async function startInstance(): Promise<ServiceApp> {
    const instance = await createApp(
      loadIntegrationsEnv(
        await serviceTestEnv(nats, {
          DATABASE_URL: database.url,
          PORT: String(await freePort()),
          TODOIST_API_URL: todoist.apiUrl,
          TODOIST_OAUTH_URL: todoist.oauthUrl,
          TODOIST_CLIENT_ID: CLIENT.id,
          TODOIST_CLIENT_SECRET: CLIENT.secret,
          TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
        }),
      ),
    );
    await instance.start();
    running.push(instance);
    return instance;
  }

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['integrations'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    nats = await createTestNats('integrations_revocation');
    todoist = await startLocalTodoistProcess({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: CLIENT.redirectUri,
      tokenTtlSeconds: 3600,
    });
    rpc = new RpcClient(nats.nc, nats.topology);
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'integrations') });
    connections = new ConnectionRepository(prisma, new TokenCipher([{ kid: 'k1', key }]));
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 60_000);

  afterAll(async () => {
    for (const instance of running) await instance.stop();
    await sql?.end();
    await prisma?.$disconnect();
    await todoist?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  async function connectedUser(label: string) {
    const userId = `${label}_${randomBytes(4).toString('hex')}`;
    const todoistUser = await todoist.control.addUser();
    const granted = await grantTokens(todoist, CLIENT, todoistUser.id);
    await connections.save({
      userId,
      provider: 'todoist',
      providerUserId: todoistUser.id,
      scope: 'data:read_write',
      tokens: {
        accessToken: granted.access_token,
        refreshToken: granted.refresh_token ?? null,
        accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    return { userId, todoistUserId: todoistUser.id, ...granted };
  }

  const pendingRows = async (userId: string) =>
    (
      await sql.query<Record<string, unknown>>(
        `SELECT * FROM integrations.pending_revocation WHERE user_id = $1`,
        [userId],
      )
    ).rows;

  const revokedAtTodoist = async (todoistUserId: string) =>
    (await todoist.control.revokedTokens()).filter((entry) => entry.userId === todoistUserId);

  it('keeps a failed revoke through a restart, and a later instance revokes the grant', async () => {
    const first = await startInstance();
    const user = await connectedUser('durable');
    // Todoist is down for every request from now on.
    await todoist.control.failNext(1_000_000, { status: 500 });

    await expect(
      rpc.call('rpc.integrations.disconnect', { userId: user.userId, provider: 'todoist' }, 20_000),
    ).resolves.toEqual({ ok: true });

    expect(await connections.find(user.userId, 'todoist')).toBeUndefined();
    // The revoke waits, encrypted: no byte of the token in the row.
    const [row, ...more] = await expectEventually(async () => {
      const rows = await pendingRows(user.userId);
      expect(rows[0]?.['attempts']).toBeGreaterThanOrEqual(1);
      return rows;
    });
    expect(more).toEqual([]);
    for (const value of Object.values(row!)) {
      if (Buffer.isBuffer(value)) {
        expect(value.includes(Buffer.from(user.access_token))).toBe(false);
      } else {
        expect(String(value)).not.toContain(user.access_token);
      }
    }
    expect(row!['token_key_id']).toBe('k1');
    expect(await revokedAtTodoist(user.todoistUserId)).toEqual([]);

    // The instance stops (an in-memory retry would be lost), then Todoist recovers.
    await first.stop();
    await todoist.control.failNext(0);
    // As if the back-off had run out while no instance was up.
    await sql.query(
      `UPDATE integrations.pending_revocation SET next_attempt_at = now() WHERE user_id = $1`,
      [user.userId],
    );
    await startInstance();

    await expectEventually(
      async () => {
        expect(await revokedAtTodoist(user.todoistUserId)).toEqual([
          expect.objectContaining({ kind: 'access' }),
        ]);
        expect(await pendingRows(user.userId)).toEqual([]);
      },
      { timeoutMs: 20_000 },
    );
    // The grant is gone at Todoist: its refresh token no longer works.
    const refresh = await fetch(`${todoist.oauthUrl}/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_type: 'refresh_token',
        refresh_token: user.refresh_token!,
      }),
    });
    expect(refresh.status).toBe(400);
  }, 60_000);

  it('retries with back-off while Todoist fails, and deletes the row once it revokes', async () => {
    await startInstance();
    const user = await connectedUser('backoff');
    const revokes = async () =>
      (await todoist.control.requests()).filter((entry) => entry.path.endsWith('/revoke'));
    const before = (await revokes()).length;
    await todoist.control.failNext(2, { status: 503 });

    await rpc.call('rpc.integrations.disconnect', { userId: user.userId, provider: 'todoist' });

    await expectEventually(
      async () => {
        expect((await revokes()).slice(before).map((entry) => entry.status)).toEqual([
          503, 503, 200,
        ]);
        expect(await pendingRows(user.userId)).toEqual([]);
      },
      { timeoutMs: 20_000 },
    );
    expect(await revokedAtTodoist(user.todoistUserId)).toHaveLength(1);
  }, 30_000);
});
