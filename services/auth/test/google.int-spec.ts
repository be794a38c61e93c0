import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  cookiesSetBy,
  createTestNats,
  expectEventually,
  freePort,
  serviceTestEnv,
  startMockGoogle,
  type RunningProcess,
  type TestNats,
} from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadAuthEnv } from '../src/config/env.js';

const PUBLIC_URL = 'http://oo.test:3000';

describe('Sign in with Google (state + PKCE) against a local OAuth2/OIDC provider', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let provider: RunningProcess;
  let app: ServiceApp;
  let base: string;
  let tokenRequests: Array<Record<string, string>> = [];

  beforeAll(async () => {
    const google = await startMockGoogle({
      sub: 'google-sub-42',
      email: 'lin@example.com',
      name: 'Lin',
      email_verified: true,
    });
    provider = google.process;
    tokenRequests = google.tokenRequests;
    const issuer = google.issuer;
    database = await createTestDatabase({ services: ['auth'] });
    nats = await createTestNats('auth_google');
    app = await createApp(await authEnv(issuer));
    base = await app.start();
  });

  afterAll(async () => {
    await app.stop();
    provider.kill('SIGTERM');
    await provider.exited;
    await nats.cleanup();
    await database.drop();
  });

  /** Auth on this file's NATS and database, signing in with the Google at `issuer`. */
  async function authEnv(issuer: string, extra: Record<string, string> = {}) {
    return loadAuthEnv({
      ...(await serviceTestEnv(nats, { DATABASE_URL: database.url })),
      PORT: String(await freePort()),
      PUBLIC_URL,
      SESSION_SIGNING_KEYS: generateSigningKey('k1'),
      GOOGLE_CLIENT_ID: 'oo-test-client',
      GOOGLE_CLIENT_SECRET: 'oo-test-secret',
      GOOGLE_AUTHORIZATION_URL: `${issuer}/authorize`,
      GOOGLE_TOKEN_URL: `${issuer}/token`,
      GOOGLE_USERINFO_URL: `${issuer}/userinfo`,
      ...extra,
    });
  }

  async function get(url: string, cookie?: string): Promise<Response> {
    return fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  }

  /** Start at /auth/google and let the provider approve: the callback URL and the state cookie. */
  async function startSignIn(
    returnTo?: string,
  ): Promise<{ callback: URL; cookie: string; authorize: URL }> {
    const start = await get(
      `${base}/auth/google${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
    );
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    const cookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const approved = await get(authorize.toString());
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get('location')!);
    return { callback, cookie, authorize };
  }

  function callbackOnAuth(callback: URL): string {
    return `${base}${callback.pathname}${callback.search}`;
  }

  it('redirects with state and an S256 PKCE challenge, and signs in on a good callback', async () => {
    const { callback, cookie, authorize } = await startSignIn('/settings');
    expect(authorize.searchParams.get('client_id')).toBe('oo-test-client');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/google/callback`);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const challenge = authorize.searchParams.get('code_challenge')!;
    expect(cookie).toMatch(/^oo_oauth=/);

    const done = await get(callbackOnAuth(callback), cookie);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`${PUBLIC_URL}/settings`);
    const cookies = cookiesSetBy(done);
    expect(cookies.get('oo_session')).toMatch(/^ey/);
    expect(cookies.get('oo_refresh')).toBeTruthy();
    expect(cookies.get('oo_oauth')).toBe('');

    // The token request carried the verifier whose hash is the challenge sent to the provider.
    const verifier = tokenRequests.at(-1)!['code_verifier']!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);

    // A user keyed by Google's sub, announced once.
    await expectEventually(async () => {
      const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
        subjects_filter: nats.topology.wire('signals.user.signed_up.*'),
      });
      expect(Object.keys(info.state.subjects ?? {})).toHaveLength(1);
    });
  });

  it('refuses a callback with a wrong state, without the state cookie, or with another browser’s cookie', async () => {
    const { callback, cookie } = await startSignIn();
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'x'.repeat(32));
    const wrongState = await get(callbackOnAuth(wrong), cookie);
    expect(wrongState.status).toBe(403);
    expect(await wrongState.json()).toMatchObject({
      error: { code: 'forbidden', message: /state does not match/ },
    });

    expect((await get(callbackOnAuth(callback))).status).toBe(403);
    const other = await startSignIn();
    expect((await get(callbackOnAuth(callback), other.cookie)).status).toBe(403);
    const missingState = new URL(callback);
    missingState.searchParams.delete('state');
    expect((await get(callbackOnAuth(missingState), cookie)).status).toBe(403);
  });

  it('sends the user only to allow-listed paths after sign-in', async () => {
    for (const returnTo of [
      'https://evil.example',
      '//evil.example',
      '/settings/../../x',
      'javascript:alert(1)',
    ]) {
      const { callback, cookie } = await startSignIn(returnTo);
      const done = await get(callbackOnAuth(callback), cookie);
      expect(done.headers.get('location')).toBe(`${PUBLIC_URL}/`);
    }
    // A page's own query survives (a notification opens `/?tip=<id>`), on an allowed path only.
    for (const [returnTo, landing] of [
      ['/?tip=0193a1b2', '/?tip=0193a1b2'],
      ['/connect?connected=todoist', '/connect?connected=todoist'],
      ['/\\evil.example/?x=1', '/'],
      ['/admin?tip=1', '/'],
    ]) {
      const { callback, cookie } = await startSignIn(returnTo);
      const done = await get(callbackOnAuth(callback), cookie);
      expect(done.headers.get('location')).toBe(`${PUBLIC_URL}${landing}`);
    }
  });

  it('refuses a Google account whose email Google has not verified', async () => {
    const unverified = await startMockGoogle({
      sub: 'google-sub-43',
      email: 'root@example.com',
      name: 'Not Root',
      email_verified: false,
    });
    const strict = await createApp(
      await authEnv(unverified.issuer, { ADMIN_EMAILS: 'root@example.com' }),
    );
    try {
      const strictBase = await strict.start();
      const start = await get(`${strictBase}/auth/google`);
      const cookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
      const approved = await get(start.headers.get('location')!);
      const callback = new URL(approved.headers.get('location')!);
      const done = await get(`${strictBase}${callback.pathname}${callback.search}`, cookie);
      expect(done.status).toBe(403);
      expect(done.headers.getSetCookie().some((line) => line.startsWith('oo_session='))).toBe(
        false,
      );
    } finally {
      await strict.stop();
      unverified.process.kill('SIGTERM');
      await unverified.process.exited;
    }
  });

  it('signs the same Google account in again without creating a second user', async () => {
    const { callback, cookie } = await startSignIn();
    expect((await get(callbackOnAuth(callback), cookie)).status).toBe(302);
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire('signals.user.signed_up.*'),
    });
    expect(Object.values(info.state.subjects ?? {})).toEqual([1]);
  });
});
