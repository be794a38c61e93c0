import { createLocalTodoist, type LocalTodoist } from '../src/index.js';
import {
  api,
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  decide,
  exchange,
  REDIRECT_URI,
} from './oauth-helpers.js';

describe('local Todoist OAuth', () => {
  let todoist: LocalTodoist;
  let userId: string;

  beforeAll(async () => {
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      tokenTtlSeconds: 3600,
    });
    userId = (await todoist.control.addUser({ fullName: 'Ada Lovelace' })).id;
  });

  afterAll(() => todoist.close());

  it('shows an authorize page naming the app and the scope, with Allow and Deny', async () => {
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      scope: 'data:read_write',
      state: 's',
    });
    const response = await fetch(`${todoist.oauthUrl}/authorize?${query.toString()}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<strong>oO</strong> would like to access your Todoist account');
    expect(html).toContain('data:read_write');
    expect(html).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
    expect(html).toContain('Ada Lovelace');
  });

  it('refuses an authorize request from an unknown client', async () => {
    const query = new URLSearchParams({
      client_id: 'someone-else',
      scope: 'data:read_write',
      state: 's',
    });
    expect((await fetch(`${todoist.oauthUrl}/authorize?${query.toString()}`)).status).toBe(400);
  });

  it('Allow returns to the redirect URI with a code and the state; the code buys a working token once', async () => {
    const landing = await decide(todoist.oauthUrl, 'allow', { state: 'xyz', userId });
    expect(landing.origin + landing.pathname).toBe(REDIRECT_URI);
    expect(landing.searchParams.get('state')).toBe('xyz');
    const code = landing.searchParams.get('code') ?? '';
    expect(code).not.toBe('');

    const first = await exchange(todoist.oauthUrl, { code });
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.refresh_token).toBe('string');
    const me = await api(todoist, String(tokens.access_token), '/user');
    expect(((await me.json()) as { id: string }).id).toBe(userId);

    const again = await exchange(todoist.oauthUrl, { code });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant' });
  });

  it("refuses a redirect_uri other than the app's configured one", async () => {
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      scope: 'data:read_write',
      state: 's',
      redirect_uri: 'https://evil.example/steal',
    });
    expect((await fetch(`${todoist.oauthUrl}/authorize?${query.toString()}`)).status).toBe(400);
    const sameAsConfigured = new URLSearchParams({
      client_id: CLIENT_ID,
      scope: 'data:read_write',
      state: 's',
      redirect_uri: REDIRECT_URI,
    });
    const page = await fetch(`${todoist.oauthUrl}/authorize?${sameAsConfigured.toString()}`);
    expect(page.status).toBe(200);
  });

  it('Deny returns error=access_denied with the state and no code', async () => {
    const landing = await decide(todoist.oauthUrl, 'deny', { state: 'denied-state' });
    expect(landing.searchParams.get('error')).toBe('access_denied');
    expect(landing.searchParams.get('state')).toBe('denied-state');
    expect(landing.searchParams.has('code')).toBe(false);
  });

  it('refuses a code exchange with the wrong client secret', async () => {
    const landing = await decide(todoist.oauthUrl, 'allow', { userId });
    const response = await exchange(todoist.oauthUrl, {
      code: landing.searchParams.get('code') ?? '',
      client_secret: 'wrong',
    });
    expect(response.status).toBe(401);
  });

  it('a refresh rotates the refresh token: the new pair works, the old refresh token is refused', async () => {
    const tokens = await connect(todoist, userId);
    const refreshed = await exchange(todoist.oauthUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await api(todoist, next.access_token, '/user')).status).toBe(200);

    const replay = await exchange(todoist.oauthUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(replay.status).toBe(400);
    const rotatedAgain = await exchange(todoist.oauthUrl, {
      grant_type: 'refresh_token',
      refresh_token: next.refresh_token,
    });
    expect(rotatedAgain.status).toBe(200);
  });

  it('an expired access token answers 401 and a refresh brings the user back', async () => {
    const tokens = await connect(todoist, userId);
    await todoist.control.expireAccessTokens();
    expect((await api(todoist, tokens.access_token, '/user')).status).toBe(401);
    const refreshed = await exchange(todoist.oauthUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    const next = (await refreshed.json()) as { access_token: string };
    expect((await api(todoist, next.access_token, '/user')).status).toBe(200);
  });

  it('revoke (RFC 7009, Basic auth) kills the token and its refresh token, and is recorded', async () => {
    const tokens = await connect(todoist, userId);
    const unauthenticated = await fetch(`${todoist.apiUrl}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(unauthenticated.status).toBe(401);
    expect((await api(todoist, tokens.access_token, '/user')).status).toBe(200);

    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const revoked = await fetch(`${todoist.apiUrl}/revoke`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ token: tokens.access_token, token_type_hint: 'access_token' }),
    });
    expect(revoked.status).toBe(200);
    expect((await api(todoist, tokens.access_token, '/user')).status).toBe(401);
    const refresh = await exchange(todoist.oauthUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refresh.status).toBe(400);
    expect(await todoist.control.revokedTokens()).toContainEqual(
      expect.objectContaining({ userId, kind: 'access' }),
    );
  });

  it('a request without a valid bearer token answers 401 in the API error envelope', async () => {
    const response = await api(todoist, 'not-a-token', '/tasks');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      http_code: 401,
      error_tag: 'AUTH_INVALID_TOKEN',
    });
  });
});
