import { connect } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { createRedisClient, type ServiceApp } from '@oo/platform';
import { generateSigningKey, parseSigningKeys, signSessionToken } from '@oo/sessions';
import {
  cookiesSetBy,
  createTestNats,
  expectEventually,
  freePort,
  startServiceProcess,
  stopProcesses,
  testInfrastructure,
  type RunningProcess,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import { devSignIn, type SignedIn } from './support/dev-sign-in.js';
import pg from 'pg';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';
import { SessionChecksRepository } from '../src/sessions/session-checks.repository.js';

const PUBLIC_URL = 'http://oo.test';
const SIGNING_KEYS = generateSigningKey('k1');
const [signingKey] = parseSigningKeys(SIGNING_KEYS);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the gateway: sessions verified locally, /auth proxied, logout immediate', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let auth: RunningProcess;
  let gateway: ServiceApp;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth'] });
    nats = await createTestNats('gateway_sessions');
    const shared = await serviceTestEnv(nats, { PUBLIC_URL });
    // auth runs as its own process, as in production: the gateway reaches it only by HTTP and NATS.
    const authService = await startServiceProcess('auth', {
      ...shared,
      DATABASE_URL: database.url,
      SESSION_SIGNING_KEYS: SIGNING_KEYS,
    });
    auth = authService.process;
    const authUrl = authService.url;
    gateway = await createGateway(
      loadGatewayEnv({ ...shared, PORT: String(await freePort()), AUTH_URL: authUrl }),
    );
    base = await gateway.start();
    // Sessions verify once the gateway has auth's public keys.
    await expectEventually(async () => {
      const response = await fetch(`${base}/api/session`, { headers: { cookie: 'oo_session=x' } });
      expect(response.status).toBe(401);
    });
  }, 180_000);

  afterAll(async () => {
    await gateway.stop();
    await stopProcesses([auth]);
    const redis = createRedisClient((await testInfrastructure()).redisUrl, '', 'test');
    const keys = await redis.keys(`${nats.topology.namespace}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await nats.cleanup();
    await database.drop();
  });

  const signIn = (email: string): Promise<SignedIn> => devSignIn(base, PUBLIC_URL, email);

  async function session(cookie?: string): Promise<Response> {
    return fetch(`${base}/api/session`, cookie ? { headers: { cookie } } : {});
  }

  it('signs in through the proxied /auth and knows the user from the session cookie alone', async () => {
    const { cookie, userId } = await signIn('ada@example.com');
    const response = await session(cookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ userId });
  });

  it('refuses every session of a deleted user, even one issued after the deletion', async () => {
    const { cookie, userId } = await signIn('gone@example.com');
    const other = await signIn('stays@example.com');
    await gateway.app.get(SessionChecksRepository).revokeDeletedUser(userId);
    expect((await session(cookie)).status).toBe(401);
    // What a refresh racing auth's purge could still mint: a token signed after the deletion.
    const later = await signSessionToken(
      signingKey!,
      { userId, sessionId: 'after-deletion' },
      900,
      new Date(Date.now() + 20_000),
    );
    expect((await session(`oo_session=${later}`)).status).toBe(401);
    expect((await session(other.cookie)).status).toBe(200);
  });

  it('answers 401 for no session, a tampered, an expired, an unknown-kid and an alg-none token', async () => {
    const { cookies, userId } = await signIn('eve@example.com');
    const token = cookies.get('oo_session')!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const tampered = `${header}.${b64({ ...claims, sub: 'someone-else' })}.${signature}`;
    const expired = await signSessionToken(
      signingKey!,
      { userId, sessionId: 's' },
      900,
      new Date(Date.now() - 3_600_000),
    );
    const [stranger] = parseSigningKeys(generateSigningKey('k9'));
    const unknownKid = await signSessionToken(stranger!, { userId, sessionId: 's' }, 900);
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: 'k1' })}.${payload}.`;

    expect((await session()).status).toBe(401);
    for (const [bad, reason] of [
      [tampered, 'bad_signature'],
      [expired, 'expired'],
      [unknownKid, 'unknown_key'],
      [none, 'unsupported_algorithm'],
    ] as const) {
      const response = await session(`oo_session=${bad}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'unauthenticated', message: `The session is not valid (${reason})` },
      });
    }
  });

  it('ends the session at once on logout, although its token has not expired', async () => {
    const { cookie } = await signIn('alan@example.com');
    expect((await session(cookie)).status).toBe(200);
    const logout = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: PUBLIC_URL },
    });
    expect(logout.status).toBe(204);
    expect((await session(cookie)).status).toBe(401);
  });

  it('revokes the whole session when a rotated refresh token comes back', async () => {
    const { cookies } = await signIn('grace@example.com');
    const first = `oo_refresh=${cookies.get('oo_refresh')}`;
    const refresh = (cookie: string): Promise<Response> =>
      fetch(`${base}/auth/refresh`, { method: 'POST', headers: { cookie, origin: PUBLIC_URL } });
    const rotated = await refresh(first);
    expect(rotated.status).toBe(204);
    const second = cookiesSetBy(rotated);
    // Back long after it was spent (not two tabs racing, which auth forgives for a few seconds).
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    await sql.query(
      `UPDATE auth.refresh_token SET rotated_at = rotated_at - interval '1 minute'
       WHERE rotated_at IS NOT NULL`,
    );
    await sql.end();
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(`oo_refresh=${second.get('oo_refresh')}`)).status).toBe(401);
  });

  it('never proxies anything but auth’s own sign-in routes', async () => {
    // Raw request lines: fetch would normalise the `..` away before sending.
    const statusOf = (target: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(new URL(base).port), '127.0.0.1', () => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('end', () => resolve(data.split('\r\n')[0]!.split(' ')[1]!));
        socket.on('error', reject);
      });
    for (const target of [
      '/auth/../metrics',
      '/auth/%2e%2e/metrics',
      '/auth/health',
      '/auth/google/../../health',
      // An absolute-form request line, as a forward proxy would get it.
      'http://169.254.169.254/auth/../latest',
      'http://169.254.169.254/auth/google',
    ]) {
      const status = await statusOf(target);
      expect([target, status]).toEqual([target, target.endsWith('/auth/google') ? '302' : '404']);
    }
  });

  it('refuses a mutation from another origin', async () => {
    const response = await fetch(`${base}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'x@example.com', name: 'X' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    const noOrigin = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(noOrigin.status).toBe(403);
  });

  it('answers malformed JSON, a 2 MB body and an unknown route in the error shape, never a 500', async () => {
    const post = (body: string, type = 'application/json'): Promise<Response> =>
      fetch(`${base}/auth/dev-login`, { method: 'POST', headers: { 'content-type': type }, body });
    const malformed = await post('{"email": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const huge = await post(
      JSON.stringify({ email: 'x@example.com', name: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const unknown = await fetch(`${base}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers 503 with a clear message, not a hang, when auth is down', async () => {
    const down = await createGateway(
      loadGatewayEnv({
        NATS_URL: nats.url,
        REDIS_URL: (await testInfrastructure()).redisUrl,
        OO_NAMESPACE: nats.topology.namespace,
        OO_ENV: 'test',
        LOG_LEVEL: 'silent',
        PUBLIC_URL,
        PORT: String(await freePort()),
        AUTH_URL: `http://127.0.0.1:${await freePort()}`,
      }),
    );
    const url = await down.start();
    try {
      const response = await fetch(`${url}/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x@example.com', name: 'X' }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: { code: 'unavailable', message: /Sign-in is unavailable/ },
      });
    } finally {
      await down.stop();
    }
  });
});
