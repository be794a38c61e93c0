import { createTestDatabase, type TestDatabase } from '@oo/database';
import type { ServiceApp } from '@oo/platform';
import {
  generateSigningKey,
  parseCookies,
  parseSigningKeys,
  publicJwks,
  verificationKeys,
  verifySessionToken,
} from '@oo/sessions';
import { createTestNats, freePort, type TestNats } from '@oo/testing';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { RACE_GRACE_SECONDS } from '../src/sessions/session.service.js';
import { loadAuthEnv } from '../src/config/env.js';

const SIGNING_KEYS = `${generateSigningKey('k2')},${generateSigningKey('k1')}`;
const publicKeys = verificationKeys(publicJwks(parseSigningKeys(SIGNING_KEYS)));

interface Response {
  status: number;
  body: unknown;
  cookies: Map<string, string>;
  setCookie: string[];
}

describe('auth sessions: dev sign-in, rotating refresh, logout', () => {
  let database: TestDatabase;
  let nats: TestNats;
  const apps: ServiceApp[] = [];

  async function boot(overrides: Record<string, string> = {}): Promise<string> {
    const env = loadAuthEnv({
      NATS_URL: nats.url,
      DATABASE_URL: database.url,
      OO_NAMESPACE: nats.topology.namespace,
      OO_ENV: 'test',
      LOG_LEVEL: 'error',
      PORT: String(await freePort()),
      SESSION_SIGNING_KEYS: SIGNING_KEYS,
      ...overrides,
    });
    const app = await createApp(env);
    apps.push(app);
    return app.start();
  }

  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth'] });
    nats = await createTestNats('auth_sessions');
    base = await boot();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await nats.cleanup();
    await database.drop();
  });

  async function post(path: string, body?: unknown, cookie?: string): Promise<Response> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const setCookie = response.headers.getSetCookie();
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      setCookie,
      cookies: parseCookies(setCookie.map((line) => line.split(';')[0]).join('; ')),
    };
  }

  /** As if `seconds` had passed since every rotation so far. */
  async function ageRotations(seconds: number): Promise<void> {
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    try {
      await sql.query(
        `UPDATE auth.refresh_token SET rotated_at = rotated_at - make_interval(secs => $1)
         WHERE rotated_at IS NOT NULL`,
        [seconds],
      );
    } finally {
      await sql.end();
    }
  }

  async function signedUpEvents(userId: string): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire(`signals.user.signed_up.${userId}`),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  it('signs in, creating the user once, with a verifiable session cookie and a signed_up event', async () => {
    const first = await post('/auth/dev-login', { email: 'Ada@example.com', name: 'Ada' });
    expect(first.status).toBe(200);
    const { user, created } = first.body as { user: { id: string }; created: boolean };
    expect(created).toBe(true);

    const session = first.cookies.get('oo_session')!;
    const verified = await verifySessionToken(session, publicKeys);
    expect(verified).toMatchObject({ ok: true, claims: { sub: user.id } });
    const flags = (name: string): string =>
      first.setCookie.find((line) => line.startsWith(`${name}=`))!;
    expect(flags('oo_session')).toMatch(/HttpOnly/);
    expect(flags('oo_session')).toMatch(/SameSite=Lax/);
    expect(flags('oo_refresh')).toMatch(/HttpOnly; ?|HttpOnly$/);
    expect(flags('oo_refresh')).toMatch(/SameSite=Strict/);
    expect(flags('oo_csrf')).not.toMatch(/HttpOnly/);

    const again = await post('/auth/dev-login', { email: 'ada@example.com', name: 'Ada L.' });
    expect(again.body).toMatchObject({ user: { id: user.id }, created: false });
    expect(await signedUpEvents(user.id)).toBe(1);
  });

  it('rotates the refresh token, and a replayed one revokes the whole session', async () => {
    const login = await post('/auth/dev-login', { email: 'grace@example.com', name: 'Grace' });
    const first = login.cookies.get('oo_refresh')!;

    const rotated = await post('/auth/refresh', undefined, `oo_refresh=${first}`);
    expect(rotated.status).toBe(204);
    const second = rotated.cookies.get('oo_refresh')!;
    expect(second).not.toBe(first);
    expect((await verifySessionToken(rotated.cookies.get('oo_session')!, publicKeys)).ok).toBe(
      true,
    );

    // Presented again at once, it is a race of two tabs: refused, but the session lives on.
    const race = await post('/auth/refresh', undefined, `oo_refresh=${first}`);
    expect(race.status).toBe(401);
    // …and leaves the browser's cookies alone: they are the other tab's fresh ones.
    expect(race.setCookie).toEqual([]);
    const stillAlive = await post('/auth/refresh', undefined, `oo_refresh=${second}`);
    expect(stillAlive.status).toBe(204);
    const third = stillAlive.cookies.get('oo_refresh')!;

    // Presented long after it was spent, it was copied by someone: the session ends for both.
    await ageRotations(RACE_GRACE_SECONDS + 5);
    const replay = await post('/auth/refresh', undefined, `oo_refresh=${first}`);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(replay.setCookie.some((line) => line.startsWith('oo_refresh=;'))).toBe(true);
    expect((await post('/auth/refresh', undefined, `oo_refresh=${third}`)).status).toBe(401);
  });

  it('names the user in the session token, with the admin role only for ADMIN_EMAILS, on sign-in and refresh', async () => {
    const adminBase = await boot({ ADMIN_EMAILS: ' Root@Example.com , ops@example.com' });
    const signIn = (email: string, name: string) =>
      fetch(`${adminBase}/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name }),
      });
    const claimsOf = async (response: globalThis.Response) => {
      const cookies = parseCookies(
        response.headers
          .getSetCookie()
          .map((line) => line.split(';')[0])
          .join('; '),
      );
      const verified = await verifySessionToken(cookies.get('oo_session')!, publicKeys);
      if (!verified.ok) throw new Error(verified.reason);
      return { claims: verified.claims, refresh: cookies.get('oo_refresh')! };
    };
    const admin = await claimsOf(await signIn('root@example.com', 'Root'));
    expect(admin.claims).toMatchObject({
      name: 'Root',
      email: 'root@example.com',
      roles: ['admin'],
    });
    const user = await claimsOf(await signIn('lin@example.com', 'Lin'));
    expect(user.claims).toMatchObject({ name: 'Lin', email: 'lin@example.com', roles: [] });

    const refreshed = await claimsOf(
      await fetch(`${adminBase}/auth/refresh`, {
        method: 'POST',
        headers: { cookie: `oo_refresh=${admin.refresh}` },
      }),
    );
    expect(refreshed.claims).toMatchObject({ email: 'root@example.com', roles: ['admin'] });
  });

  it('tells the sign-in page which methods work here', async () => {
    const methods = await fetch(`${base}/auth/methods`);
    expect(methods.status).toBe(200);
    expect(await methods.json()).toEqual({ google: false, devLogin: true });
    const google = await boot({
      AUTH_DEV_LOGIN: 'false',
      GOOGLE_CLIENT_ID: 'cid',
      GOOGLE_CLIENT_SECRET: 's',
    });
    expect(await (await fetch(`${google}/auth/methods`)).json()).toEqual({
      google: true,
      devLogin: false,
    });
    expect((await fetch(`${google}/auth/methods?x=1`)).status).toBe(400);
  });

  it('logs out: the refresh token stops working and the cookies are cleared', async () => {
    const login = await post('/auth/dev-login', { email: 'alan@example.com', name: 'Alan' });
    const refresh = login.cookies.get('oo_refresh')!;
    const logout = await post('/auth/logout', undefined, `oo_refresh=${refresh}`);
    expect(logout.status).toBe(204);
    expect(logout.setCookie.map((line) => line.split('=')[0])).toEqual([
      'oo_session',
      'oo_refresh',
      'oo_csrf',
    ]);
    expect((await post('/auth/refresh', undefined, `oo_refresh=${refresh}`)).status).toBe(401);
    expect((await post('/auth/refresh')).status).toBe(401);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ email: 'not-an-email', name: 'X' }, 'email'],
      [{ email: 'x@example.com' }, 'name'],
      [{ email: 'x@example.com', name: 'X', admin: true }, 'admin'],
      [{ email: 42, name: 'X' }, 'email'],
      [{ email: 'x@example.com', name: '   ' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const response = await post('/auth/dev-login', body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'invalid_request', field } });
    }
  });

  it('has no dev sign-in when AUTH_DEV_LOGIN is false, and refuses it in production', async () => {
    const closed = await boot({ AUTH_DEV_LOGIN: 'false' });
    const response = await fetch(`${closed}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@example.com', name: 'X' }),
    });
    expect(response.status).toBe(404);
    expect(() =>
      loadAuthEnv({
        OO_ENV: 'production',
        AUTH_DEV_LOGIN: 'true',
        GOOGLE_CLIENT_ID: 'id',
        GOOGLE_CLIENT_SECRET: 'secret',
        SESSION_SIGNING_KEYS: SIGNING_KEYS,
      }),
    ).toThrow(/AUTH_DEV_LOGIN/);
    expect(() =>
      loadAuthEnv({ OO_ENV: 'production', GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's' }),
    ).toThrow(/SESSION_SIGNING_KEYS/);
    expect(() => loadAuthEnv({ OO_ENV: 'test', SESSION_SIGNING_KEYS: 'k1:bm9wZQ==' })).toThrow(
      /SESSION_SIGNING_KEYS: key k1 is not a base64 PKCS#8/,
    );
  });
});
