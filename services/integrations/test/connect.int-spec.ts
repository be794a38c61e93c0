import { createLocalTodoist, type LocalTodoist } from '@oo/local-todoist';
import { createRedisClient } from '@oo/platform';
import { freePort, testInfrastructure, uniqueNamespace } from '@oo/testing';
import type { Redis } from 'ioredis';
import { loadIntegrationsEnv, type IntegrationsEnv } from '../src/config/env.js';
import { OAuthStateStore, STATE_TTL_SECONDS } from '../src/connect/oauth-state.store.js';
import {
  OAuthExchangeFailed,
  OAuthProviderDown,
  OAuthRefreshRefused,
  TodoistOAuth,
} from '../src/connect/todoist-oauth.js';

const CLIENT_ID = 'oo-connect-unit';
const CLIENT_SECRET = 'oo-connect-unit-secret';
const REDIRECT = 'http://oo.test/integrations/todoist/callback';

/** The pieces of connect on their own: the state store on real Redis, the exchange at Todoist. */
describe('connect: OAuth state in Redis and the code exchange', () => {
  let redis: Redis;
  let todoist: LocalTodoist;

  beforeAll(async () => {
    const { redisUrl } = await testInfrastructure();
    redis = createRedisClient(redisUrl, uniqueNamespace('connect'), 'integrations-test');
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT,
      tokenTtlSeconds: 3600,
    });
  });

  afterAll(async () => {
    await todoist.close();
    await redis.quit();
  });

  function env(overrides: Partial<Record<string, string>> = {}): IntegrationsEnv {
    return loadIntegrationsEnv({
      OO_ENV: 'test',
      NATS_URL: 'nats://127.0.0.1:4222',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/oo',
      TODOIST_CLIENT_ID: CLIENT_ID,
      TODOIST_CLIENT_SECRET: CLIENT_SECRET,
      TODOIST_OAUTH_URL: todoist.oauthUrl,
      TODOIST_TIMEOUT_MS: '2000',
      TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      ...overrides,
    });
  }

  /** A code as Todoist issues it when the user clicks Allow. */
  async function codeFor(userId: string): Promise<string> {
    const allowed = await fetch(`${todoist.oauthUrl}/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        scope: 'data:read_write',
        state: 's',
        user_id: userId,
        decision: 'allow',
      }),
    });
    return new URL(allowed.headers.get('location')!).searchParams.get('code')!;
  }

  it('gives a state to exactly one of many concurrent callbacks, and keeps it 10 minutes at most', async () => {
    const states = new OAuthStateStore(redis);
    const binding = { userId: 'u-1', sessionId: 's-1', provider: 'todoist' };
    const state = await states.issue(binding);
    const ttl = await redis.ttl(`oo:integrations:oauth-state:${state}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(STATE_TTL_SECONDS);

    const answers = await Promise.all(Array.from({ length: 20 }, () => states.consume(state)));
    expect(answers.filter((answer) => answer !== undefined)).toEqual([binding]);
    expect(await states.consume(state)).toBeUndefined();
    expect(await states.consume('not-a-state')).toBeUndefined();
  });

  it('builds the authorize URL Todoist expects', () => {
    const url = new URL(new TodoistOAuth(env()).authorizeUrl('abc'));
    expect(`${url.origin}${url.pathname}`).toBe(`${todoist.oauthUrl}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      scope: 'data:read_write',
      state: 'abc',
    });
  });

  it('exchanges a code for tokens, keeping expires_in and the refresh token', async () => {
    const user = await todoist.control.addUser();
    const before = Date.now();
    const tokens = await new TodoistOAuth(env()).exchange(await codeFor(user.id));
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.accessTokenExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3_599_000);
    const me = await fetch(`${todoist.apiUrl}/user`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(me.status).toBe(200);
  });

  it('tells a refused code from a provider that is down, naming neither code nor secret', async () => {
    const oauth = new TodoistOAuth(env());
    const refused = await oauth.exchange('no-such-code').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OAuthExchangeFailed);

    const user = await todoist.control.addUser();
    const code = await codeFor(user.id);
    await todoist.control.failNext(1, { status: 502 });
    const failed = await oauth.exchange(code).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OAuthProviderDown);

    const nobody = `http://127.0.0.1:${await freePort()}/oauth`;
    const unreachable = await new TodoistOAuth(env({ TODOIST_OAUTH_URL: nobody }))
      .exchange(code)
      .catch((error: unknown) => error);
    expect(unreachable).toBeInstanceOf(OAuthProviderDown);

    for (const error of [refused, failed, unreachable] as Error[]) {
      expect(error.message).not.toContain(code);
      expect(error.message).not.toContain(CLIENT_SECRET);
    }
  });

  it('refreshes a token: a new access token and a rotated refresh token, the old one refused', async () => {
    const oauth = new TodoistOAuth(env());
    const user = await todoist.control.addUser();
    const first = await oauth.exchange(await codeFor(user.id));
    const before = Date.now();

    const refreshed = await oauth.refresh(first.refreshToken!);

    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    expect(refreshed.accessTokenExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3_599_000);
    const me = await fetch(`${todoist.apiUrl}/user`, {
      headers: { authorization: `Bearer ${refreshed.accessToken}` },
    });
    expect(me.status).toBe(200);

    // Rotated: the first refresh token is spent; a 5xx is an outage, not a refusal.
    const reused = await oauth.refresh(first.refreshToken!).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(OAuthRefreshRefused);
    await todoist.control.failNext(1, { status: 503 });
    const down = await oauth.refresh(refreshed.refreshToken!).catch((error: unknown) => error);
    expect(down).toBeInstanceOf(OAuthProviderDown);
    const wrongClient = await new TodoistOAuth(env({ TODOIST_CLIENT_SECRET: 'rotated-away' }))
      .refresh(refreshed.refreshToken!)
      .catch((error: unknown) => error);
    expect(wrongClient).toBeInstanceOf(OAuthProviderDown);
    for (const error of [reused, down, wrongClient] as Error[]) {
      expect(error.message).not.toContain(first.refreshToken!);
      expect(error.message).not.toContain(refreshed.refreshToken!);
      expect(error.message).not.toContain(CLIENT_SECRET);
    }
    // Neither failure spent the current refresh token.
    expect((await oauth.refresh(refreshed.refreshToken!)).accessToken).toEqual(expect.any(String));
  });
});
