import { startServiceProcess, stopProcesses, type RunningProcess } from '@oo/testing';
import { TokenSource } from '../src/sync/token-source.js';
import { TodoistApiClient } from '../src/todoist/todoist-api.client.js';
import {
  startIntegrationsHarness,
  testClient,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

const CLIENT = testClient('oo-refresh');
const TOKEN_TTL_SECONDS = 3600;

/**
 * Expiring Todoist tokens (issued since April 2026): refreshed before they expire or when
 * Todoist refuses them, with the rotated refresh token stored — once, however many callers
 * and instances want it at the same moment. One instance runs in this process, one as its own
 * process (whose logs are read), on real Postgres, Redis and NATS, against the local Todoist
 * as a process issuing tokens that expire and refresh tokens that rotate.
 */
describe('access token refresh', () => {
  let harness: IntegrationsHarness;
  let remote: RunningProcess;
  /** Every token the local Todoist issued in this test file, for the log check. */
  const issued: string[] = [];

  beforeAll(async () => {
    harness = await startIntegrationsHarness('integrations_refresh', {
      client: CLIENT,
      tokenTtlSeconds: TOKEN_TTL_SECONDS,
    });
    // Logs on, to check that no token reaches them.
    remote = (
      await startServiceProcess('integrations', {
        ...(await harness.serviceEnv()),
        LOG_LEVEL: 'debug',
      })
    ).process;
  }, 120_000);

  afterAll(async () => {
    if (remote) await stopProcesses([remote]);
    await harness?.stop();
  });

  interface ConnectedUser {
    userId: string;
    todoistUserId: string;
    accessToken: string;
    refreshToken: string;
  }

  /** A user connected with tokens the local Todoist issued: expiring, with a refresh token. */
  async function connectedUser(label: string, taskCount = 2): Promise<ConnectedUser> {
    const user = await harness.connectUser(
      label,
      Array.from({ length: taskCount }, (_, i) => ({ content: `Task ${i + 1}` })),
    );
    expect(user.refreshToken).toEqual(expect.any(String));
    expect(user.expiresIn).toBe(TOKEN_TTL_SECONDS);
    issued.push(user.token, user.refreshToken!);
    return {
      userId: user.userId,
      todoistUserId: user.todoistUserId,
      accessToken: user.token,
      refreshToken: user.refreshToken!,
    };
  }

  const tasksOf = (userId: string) =>
    harness.rpc.call('rpc.integrations.tasks', { userId }, 20_000);
  const listOf = (userId: string) => harness.rpc.call('rpc.integrations.list', { userId }, 20_000);

  /** Refresh requests the local Todoist answered so far (exchanges of a code included). */
  const tokenRequests = async () =>
    (await harness.todoist.control.requests()).filter(
      (entry) => entry.path === '/oauth/access_token',
    );

  /** What the local Todoist's token endpoint answers to a refresh with `refreshToken`. */
  async function refreshAtTodoist(refreshToken: string) {
    const response = await fetch(`${harness.todoist.oauthUrl}/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function refreshCiphertext(userId: string): Promise<Buffer> {
    const { rows } = await harness.sql.query<{ refresh_token_ciphertext: Buffer }>(
      `SELECT refresh_token_ciphertext FROM integrations.connection WHERE user_id = $1`,
      [userId],
    );
    return rows[0]!.refresh_token_ciphertext;
  }

  /** As if the stored access token's expiry had come (the local Todoist still takes it). */
  async function expireStoredToken(userId: string, inSeconds = -1): Promise<void> {
    await harness.sql.query(
      `UPDATE integrations.connection
          SET access_token_expires_at = now() + $2 * interval '1 second'
        WHERE user_id = $1`,
      [userId, inSeconds],
    );
  }

  async function storedTokens(userId: string) {
    const tokens = (await harness.connections.readTokens(userId, 'todoist'))!;
    issued.push(tokens.accessToken, tokens.refreshToken!);
    return tokens;
  }

  it('refreshes a token Todoist refuses as expired, and the sync succeeds with the new one', async () => {
    const user = await connectedUser('expired', 3);
    const ciphertextBefore = await refreshCiphertext(user.userId);
    const before = (await tokenRequests()).length;
    // Todoist now answers 401 to the stored access token.
    await harness.todoist.control.expireAccessTokens();

    const answer = await tasksOf(user.userId);

    expect(answer.status).toBe('ok');
    expect(answer.tasks).toHaveLength(3);
    expect((await tokenRequests()).slice(before).map((entry) => entry.status)).toEqual([200]);
    const stored = await storedTokens(user.userId);
    expect(stored.accessToken).not.toBe(user.accessToken);
    expect(stored.refreshToken).not.toBe(user.refreshToken);
    expect(stored.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    // The rotated refresh token is what the row holds now, encrypted.
    const ciphertextAfter = await refreshCiphertext(user.userId);
    expect(ciphertextAfter.equals(ciphertextBefore)).toBe(false);
    expect(ciphertextAfter.includes(Buffer.from(stored.refreshToken!))).toBe(false);
    // The old refresh token is spent at Todoist; the stored one works.
    expect(await refreshAtTodoist(user.refreshToken)).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe('ok');
  });

  it('refreshes a token about to expire before sending it', async () => {
    const user = await connectedUser('ahead');
    await expireStoredToken(user.userId, 20);
    const before = (await harness.todoist.control.requests()).length;

    const answer = await tasksOf(user.userId);

    expect(answer.status).toBe('ok');
    const sent = (await harness.todoist.control.requests()).slice(before);
    expect(sent.filter((entry) => entry.path === '/oauth/access_token')).toHaveLength(1);
    // The old token was never sent: nothing was refused.
    expect(sent.filter((entry) => entry.status === 401)).toEqual([]);
    expect((await storedTokens(user.userId)).accessToken).not.toBe(user.accessToken);
  });

  it('refreshes once for 20 concurrent calls of one user across two instances, and all succeed', async () => {
    const user = await connectedUser('burst');
    await harness.todoist.control.expireAccessTokens();
    await expireStoredToken(user.userId);
    const before = (await tokenRequests()).length;
    const tokenSource = harness.instance.app.get(TokenSource);
    const client = harness.instance.app.get(TodoistApiClient);

    // Ten reads of the user in this instance, racing ten RPCs that either instance serves.
    const [direct, viaRpc] = await Promise.all([
      Promise.all(
        Array.from({ length: 10 }, () =>
          tokenSource.withAccessToken(user.userId, 'todoist', (token) =>
            client.currentUser({ userId: user.userId, token }),
          ),
        ),
      ),
      Promise.all(Array.from({ length: 10 }, () => tasksOf(user.userId))),
    ]);

    expect(direct.map((answer) => answer?.id)).toEqual(Array(10).fill(user.todoistUserId));
    expect(viaRpc.map((answer) => answer.status)).toEqual(Array(10).fill('ok'));
    expect((await tokenRequests()).slice(before).map((entry) => entry.status)).toEqual([200]);
    const stored = await storedTokens(user.userId);
    expect(stored.accessToken).not.toBe(user.accessToken);
    expect((await refreshAtTodoist(stored.refreshToken!)).status).toBe(200);
  }, 60_000);

  it('marks the connection needs_reconnect when Todoist refuses the refresh (grant revoked)', async () => {
    const user = await connectedUser('revoked');
    // The user removed oO in Todoist's settings: the whole grant is gone.
    const revoke = await fetch(`${harness.todoist.apiUrl}/revoke`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: user.accessToken }),
    });
    expect(revoke.status).toBe(200);
    const before = (await tokenRequests()).length;

    const answer = await tasksOf(user.userId);

    expect(answer).toEqual({ tasks: [], syncedAt: null, status: 'needs_reconnect' });
    expect((await tokenRequests()).slice(before).map((entry) => entry.status)).toEqual([400]);
    expect((await listOf(user.userId)).integrations).toEqual([
      expect.objectContaining({ provider: 'todoist', connected: true, status: 'needs_reconnect' }),
    ]);
    // The refused tokens stay as they were (a reconnect replaces them).
    expect(await harness.connections.readTokens(user.userId, 'todoist')).toMatchObject({
      accessToken: user.accessToken,
      refreshToken: user.refreshToken,
    });
  });

  it('keeps the token and the status when the token endpoint is down, and refreshes once it is back', async () => {
    const user = await connectedUser('outage');
    expect((await tasksOf(user.userId)).status).toBe('ok');
    await expireStoredToken(user.userId);
    const before = (await tokenRequests()).length;
    await harness.todoist.control.failNext(1, { status: 503 });

    const syncs = harness.instance.app.get(TokenSource);
    await expect(syncs.accessToken(user.userId, 'todoist')).rejects.toThrow(
      /Todoist unavailable on POST \/oauth\/access_token/,
    );

    expect((await tokenRequests()).slice(before).map((entry) => entry.status)).toEqual([503]);
    expect(await harness.connections.readTokens(user.userId, 'todoist')).toMatchObject({
      accessToken: user.accessToken,
      refreshToken: user.refreshToken,
    });
    expect((await harness.connections.find(user.userId, 'todoist'))?.status).toBe('ok');

    const token = await syncs.accessToken(user.userId, 'todoist');
    expect(token).toBe((await storedTokens(user.userId)).accessToken);
    expect(token).not.toBe(user.accessToken);
  });

  it('writes no token to the logs', () => {
    const output = remote.output();
    expect(output).toContain('integrations ready');
    for (const token of issued) expect(output).not.toContain(token);
  });
});
