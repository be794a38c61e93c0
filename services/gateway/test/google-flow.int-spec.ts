import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey, parseCookies } from '@oo/sessions';
import {
  cookieHeader,
  createTestNats,
  freePort,
  startMockGoogle,
  startServiceProcess,
  stopProcesses,
  type RunningProcess,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

/**
 * The whole sign-in as a browser lives it: gateway → Google (a local OAuth2/OIDC provider) →
 * gateway callback → session cookie → /api/me → logout. auth, profile and the provider are
 * separate processes; the gateway runs in the test.
 */
describe('Sign in with Google, end to end through the gateway', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  const processes: RunningProcess[] = [];
  let tokenRequests: Array<Record<string, string>> = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth', 'profile'] });
    nats = await createTestNats('gateway_google');
    const gatewayPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL: base });

    const google = await startMockGoogle({
      sub: 'g-77',
      email: 'mae@example.com',
      name: 'Mae',
      email_verified: true,
    });
    processes.push(google.process);
    tokenRequests = google.tokenRequests;
    const [auth, profile] = await Promise.all([
      startServiceProcess('auth', {
        ...env,
        SESSION_SIGNING_KEYS: generateSigningKey('k1'),
        GOOGLE_CLIENT_ID: 'oo-e2e',
        GOOGLE_CLIENT_SECRET: 'oo-e2e-secret',
        GOOGLE_AUTHORIZATION_URL: `${google.issuer}/authorize`,
        GOOGLE_TOKEN_URL: `${google.issuer}/token`,
        GOOGLE_USERINFO_URL: `${google.issuer}/userinfo`,
      }),
      startServiceProcess('profile', env),
    ]);
    processes.push(auth.process, profile.process);
    gateway = await createGateway(
      loadGatewayEnv({
        ...env,
        PORT: String(gatewayPort),
        AUTH_URL: auth.url,
      }),
    );
    await gateway.start();
  }, 180_000);

  afterAll(async () => {
    await gateway.stop();
    await stopProcesses(processes);
    await nats.cleanup();
    await database.drop();
  });

  /** A cookie jar, as a browser keeps one for the gateway's origin. */
  const jar = new Map<string, string>();
  function remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [...parseCookies(pair)][0]!;
      if (value === '' || /Max-Age=0/.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }
  async function browse(url: string, init: RequestInit = {}): Promise<Response> {
    const sameOrigin = url.startsWith(base);
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(sameOrigin ? { cookie: cookieHeader(jar) } : {}),
      },
    });
    if (sameOrigin) remember(response);
    return response;
  }

  it('signs in with state and PKCE, uses the session, and logs out', async () => {
    const start = await browse(`${base}/auth/google?returnTo=/connect`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/auth/google/callback`);

    // A callback with a forged or missing state is refused; the refusal also ends the attempt.
    const approved = await browse(authorize.toString());
    const callback = new URL(approved.headers.get('location')!);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-forged-state-forged!');
    expect((await browse(forged.toString())).status).toBe(403);
    const stateless = new URL(callback);
    stateless.searchParams.delete('state');
    const jarBefore = new Map(jar);
    expect((await browse(stateless.toString())).status).toBe(403);

    // So the browser starts again, and this time completes the sign-in.
    jar.clear();
    for (const [name, value] of jarBefore) if (name !== 'oo_oauth') jar.set(name, value);
    const again = await browse(`${base}/auth/google?returnTo=/connect`);
    const approvedAgain = await browse(again.headers.get('location')!);
    const done = await browse(approvedAgain.headers.get('location')!);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`${base}/connect`);
    expect(jar.has('oo_session')).toBe(true);
    const challenge = new URL(again.headers.get('location')!).searchParams.get('code_challenge');
    expect(
      createHash('sha256').update(tokenRequests.at(-1)!['code_verifier']!).digest('base64url'),
    ).toBe(challenge);

    const me = await browse(`${base}/api/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ timezone: 'UTC', consent: null });

    const logout = await browse(`${base}/auth/logout`, {
      method: 'POST',
      headers: { origin: base },
    });
    expect(logout.status).toBe(204);
    expect(jar.has('oo_session')).toBe(false);
    const session = done.headers
      .getSetCookie()
      .find((line) => line.startsWith('oo_session='))!
      .split(';')[0]!;
    expect((await fetch(`${base}/api/me`, { headers: { cookie: session } })).status).toBe(401);
  });
});
