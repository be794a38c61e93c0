import { createDecipheriv, randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { createLocalTodoist, type LocalTodoist, type TodoistUser } from '@oo/local-todoist';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  createTestNats,
  expectEventually,
  freePort,
  startServiceProcess,
  stopProcesses,
  type RunningProcess,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { devSignIn, type SignedIn } from './support/dev-sign-in.js';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const CLIENT_ID = 'oo-connect-test';
const CLIENT_SECRET = 'oo-connect-secret';
const TOKEN_KEY = randomBytes(32);

/**
 * Connecting Todoist as a browser lives it: gateway `/integrations/todoist/connect` → Todoist's
 * consent page (a stand-in) → gateway callback → integrations exchanges the code and stores the
 * connection → the SPA's `/connect` page. Todoist is `@oo/local-todoist` (its consent page
 * submitted as a browser would, with expiring tokens and a refresh token, as Todoist issues them
 * since April 2026); auth and integrations are processes; the gateway runs in the test.
 */
describe('Connect Todoist, end to end through the gateway', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  let todoist: LocalTodoist;
  let todoistUser: TodoistUser;
  let sql: pg.Client;
  let integrations: RunningProcess;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth', 'integrations'] });
    nats = await createTestNats('gateway_connect');
    const gatewayPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${base}/integrations/todoist/callback`,
      tokenTtlSeconds: 3600,
    });
    todoistUser = await todoist.control.addUser({ fullName: 'Ada Todoist' });
    await todoist.control.signIn(todoistUser.id);
    await todoist.control.addTasks(
      todoistUser.id,
      [{ content: 'Pay rent', priority: 4 }, { content: 'Water the plants' }],
      { notify: false },
    );
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL: base });
    const [auth, integrationsService] = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      startServiceProcess('integrations', {
        ...env,
        TODOIST_CLIENT_ID: CLIENT_ID,
        TODOIST_CLIENT_SECRET: CLIENT_SECRET,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${TOKEN_KEY.toString('base64')}`,
        // Logs on, to check that no token or code ever reaches them.
        LOG_LEVEL: 'debug',
      }),
    ]);
    integrations = integrationsService.process;
    processes.push(auth.process, integrations);
    gateway = await createGateway(
      loadGatewayEnv({ ...env, PORT: String(gatewayPort), AUTH_URL: auth.url }),
    );
    await gateway.start();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 180_000);

  afterAll(async () => {
    await sql.end();
    await gateway.stop();
    await stopProcesses(processes);
    await todoist.close();
    await nats.cleanup();
    await database.drop();
  });

  async function signIn(email: string): Promise<SignedIn> {
    let signedIn: SignedIn | undefined;
    await expectEventually(async () => {
      signedIn = await devSignIn(base, base, email);
    });
    await expectEventually(async () => {
      const session = await fetch(`${base}/api/session`, { headers: { cookie: signedIn!.cookie } });
      expect(session.status).toBe(200);
    });
    return signedIn!;
  }

  /** A top-level navigation: no redirect followed, the session cookie sent to the gateway only. */
  async function visit(url: string, cookie?: string): Promise<Response> {
    const toGateway = url.startsWith(base);
    return fetch(url, {
      redirect: 'manual',
      headers: toGateway && cookie ? { cookie } : {},
    });
  }

  function location(response: Response): string {
    expect(response.status).toBe(302);
    return response.headers.get('location')!;
  }

  /** Connect → Todoist's consent page: the authorize URL, not yet visited. */
  async function startConnect(browser: SignedIn): Promise<URL> {
    let authorize: URL | undefined;
    await expectEventually(async () => {
      authorize = new URL(
        location(await visit(`${base}/integrations/todoist/connect`, browser.cookie)),
      );
      expect(authorize.origin).toBe(new URL(todoist.oauthUrl).origin);
    });
    return authorize!;
  }

  /**
   * The browser on Todoist's consent page: loads it and submits its form with Allow or Deny,
   * as a person clicking would; returns where Todoist sends the browser (the callback).
   */
  async function consent(
    authorize: URL,
    decision: 'allow' | 'deny',
    asTodoistUser: string = todoistUser.id,
  ): Promise<string> {
    const pageResponse = await fetch(authorize, { redirect: 'manual' });
    expect(pageResponse.status).toBe(200);
    const html = await pageResponse.text();
    const form = new URLSearchParams();
    for (const [, name, value] of html.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
    )) {
      form.set(name!, unescapeHtml(value!));
    }
    form.set('user_id', asTodoistUser);
    form.set('decision', decision);
    const submitted = await fetch(new URL('authorize', authorize), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    return location(submitted);
  }

  async function exchanges(): Promise<number> {
    const requests = await todoist.control.requests();
    return requests.filter((entry) => entry.path.startsWith('/oauth/access_token')).length;
  }

  interface ConnectionRow {
    provider_user_id: string;
    status: string;
    access_token_ciphertext: Buffer;
    access_token_iv: Buffer;
    access_token_key_id: string;
    access_token_expires_at: Date | null;
    refresh_token_ciphertext: Buffer | null;
    refresh_token_iv: Buffer | null;
  }

  async function connectionRows(userId: string): Promise<ConnectionRow[]> {
    const { rows } = await sql.query<ConnectionRow>(
      `SELECT * FROM integrations.connection WHERE user_id = $1`,
      [userId],
    );
    return rows;
  }

  /** Opens a stored token the way integrations does (README: AES-256-GCM, tag appended, AAD). */
  function open(ciphertext: Buffer, iv: Buffer, userId: string, column: string): string {
    const decipher = createDecipheriv('aes-256-gcm', TOKEN_KEY, iv, { authTagLength: 16 });
    decipher.setAAD(
      Buffer.from(JSON.stringify(['oo.integrations.token.v1', userId, 'todoist', column])),
    );
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    return Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  }

  async function connectedEvents(userId: string): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire(`signals.integration.connected.${userId}`),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  it('connects with a state bound to the session; another session’s callback is refused; the tokens are stored only as ciphertext', async () => {
    const ada = await signIn('ada@example.com');
    const adaOtherTab = await signIn('ada@example.com');
    expect(adaOtherTab.userId).toBe(ada.userId);

    const authorize = await startConnect(ada);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')).toBe('data:read_write');
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);

    // Todoist sends the browser back with a code; a different session presents it: refused,
    // and the code is never exchanged.
    const callback = await consent(authorize, 'allow');
    expect(callback.startsWith(`${base}/integrations/todoist/callback?`)).toBe(true);
    expect(new URL(callback).searchParams.get('state')).toBe(state);
    expect(location(await visit(callback, adaOtherTab.cookie))).toBe(
      `${base}/connect?error=bad_state`,
    );
    expect(await exchanges()).toBe(0);
    expect(await connectionRows(ada.userId)).toHaveLength(0);
    // The state was good for one callback: even the right session cannot use it now.
    expect(location(await visit(callback, ada.cookie))).toBe(`${base}/connect?error=bad_state`);
    expect(await exchanges()).toBe(0);
    expect(await connectedEvents(ada.userId)).toBe(0);

    // A fresh attempt from the session that started it connects.
    const back = await consent(await startConnect(ada), 'allow');
    expect(location(await visit(back, ada.cookie))).toBe(`${base}/connect?connected=todoist`);
    expect(await exchanges()).toBe(1);

    const rows = await connectionRows(ada.userId);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      provider_user_id: todoistUser.id,
      status: 'ok',
      access_token_key_id: 'k1',
    });
    // expires_in was kept: about an hour from now.
    expect(row.access_token_expires_at!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    const accessToken = open(
      row.access_token_ciphertext,
      row.access_token_iv,
      ada.userId,
      'access_token',
    );
    const refreshToken = open(
      row.refresh_token_ciphertext!,
      row.refresh_token_iv!,
      ada.userId,
      'refresh_token',
    );
    // The stored token is the one Todoist issued (it works there) and is not in the row in clear.
    const me = await fetch(`${todoist.apiUrl}/user`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(todoistUser.id);
    const { rows: raw } = await sql.query<{ row: string }>(
      `SELECT c::text AS row FROM integrations.connection c WHERE user_id = $1`,
      [ada.userId],
    );
    for (const token of [accessToken, refreshToken]) {
      expect(raw[0]!.row).not.toContain(token);
      expect(row.access_token_ciphertext.includes(Buffer.from(token))).toBe(false);
      expect(row.refresh_token_ciphertext!.includes(Buffer.from(token))).toBe(false);
    }

    await expectEventually(async () => expect(await connectedEvents(ada.userId)).toBe(1));

    // The first sync started by itself: Todoist's open tasks are in the snapshot.
    await expectEventually(async () => {
      const { rows: snapshots } = await sql.query<{ tasks: Array<{ title: string }> }>(
        `SELECT tasks FROM integrations.task_snapshot WHERE user_id = $1`,
        [ada.userId],
      );
      expect(snapshots[0]?.tasks.map((task) => task.title).sort()).toEqual([
        'Pay rent',
        'Water the plants',
      ]);
    });

    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: ada.cookie } });
    expect(listed.status).toBe(200);
    const body = await listed.text();
    expect(JSON.parse(body)).toEqual([
      expect.objectContaining({ provider: 'todoist', connected: true, status: 'ok' }),
    ]);
    expect(body).not.toContain(accessToken);

    const logs = integrations.output();
    expect(logs).toContain('connected todoist');
    for (const secret of [accessToken, refreshToken, new URL(back).searchParams.get('code')!]) {
      expect(logs).not.toContain(secret);
    }

    // The same Todoist account for another oO user: refused, Ada's connection untouched.
    const eve = await signIn('eve@example.com');
    const eveBack = await consent(await startConnect(eve), 'allow');
    expect(location(await visit(eveBack, eve.cookie))).toBe(`${base}/connect?error=account_in_use`);
    expect(await connectionRows(eve.userId)).toHaveLength(0);
    expect(await connectionRows(ada.userId)).toHaveLength(1);
    expect(await connectedEvents(eve.userId)).toBe(0);
  });

  it('sends the browser back with ?error=access_denied when the user denies, and stores nothing', async () => {
    const bea = await signIn('bea@example.com');
    const callback = await consent(await startConnect(bea), 'deny');
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    expect(location(await visit(callback, bea.cookie))).toBe(`${base}/connect?error=access_denied`);
    expect(await connectionRows(bea.userId)).toHaveLength(0);
    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: bea.cookie } });
    expect(await listed.json()).toEqual([
      {
        provider: 'todoist',
        connected: false,
        connectedAt: null,
        lastSyncAt: null,
        status: 'not_connected',
      },
    ]);
  });

  it('answers ?error=provider_down when Todoist’s token endpoint fails, and stores nothing', async () => {
    const cy = await signIn('cy@example.com');
    const callback = await consent(await startConnect(cy), 'allow');
    const before = await exchanges();
    await todoist.control.failNext(1, { status: 503 });
    expect(location(await visit(callback, cy.cookie))).toBe(`${base}/connect?error=provider_down`);
    expect(await exchanges()).toBe(before + 1);
    expect(await connectionRows(cy.userId)).toHaveLength(0);
    expect(await connectedEvents(cy.userId)).toBe(0);
  });

  it('sends a callback without a session to ?error=not_signed_in', async () => {
    const response = await visit(`${base}/integrations/todoist/callback?code=abc&state=xyz`);
    expect(location(response)).toBe(`${base}/connect?error=not_signed_in`);
  });

  /** A second oO user connected to a Todoist account of their own, first sync done. */
  async function connectNewAccount(email: string): Promise<{ user: SignedIn; todoistId: string }> {
    const account = await todoist.control.addUser({ fullName: email });
    await todoist.control.signIn(account.id);
    await todoist.control.addTasks(account.id, [{ content: `Task of ${email}` }], {
      notify: false,
    });
    const user = await signIn(email);
    const back = await consent(await startConnect(user), 'allow', account.id);
    expect(location(await visit(back, user.cookie))).toBe(`${base}/connect?connected=todoist`);
    await expectEventually(async () =>
      expect(await rowCount('task_snapshot', user.userId)).toBe(1),
    );
    return { user, todoistId: account.id };
  }

  async function rowCount(table: string, userId: string): Promise<number> {
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM integrations.${table} WHERE user_id = $1`,
      [userId],
    );
    return rows[0]!.n;
  }

  async function redisKeysOf(userId: string): Promise<string[]> {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      return await redis.keys(`${nats.topology.namespace}:oo:integrations:todoist:{${userId}}*`);
    } finally {
      redis.disconnect();
    }
  }

  async function disconnectedEvents(userId: string): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire(`signals.integration.disconnected.${userId}`),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  async function storedAccessToken(userId: string): Promise<string> {
    const [row] = await connectionRows(userId);
    return open(row!.access_token_ciphertext, row!.access_token_iv, userId, 'access_token');
  }

  async function todoistAccepts(token: string): Promise<boolean> {
    const me = await fetch(`${todoist.apiUrl}/user`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return me.status === 200;
  }

  it('disconnects: everything of the user goes, Todoist revokes the grant, the event is published once', async () => {
    const { user: fay, todoistId } = await connectNewAccount('fay@example.com');
    const token = await storedAccessToken(fay.userId);
    expect(await todoistAccepts(token)).toBe(true);
    await expectEventually(async () => expect(await redisKeysOf(fay.userId)).not.toEqual([]));

    // A mutation like any other: without the CSRF header it is refused and changes nothing.
    const forged = await fetch(`${base}/api/integrations/todoist`, {
      method: 'DELETE',
      headers: { cookie: fay.cookie },
    });
    expect(forged.status).toBe(403);
    expect(await rowCount('connection', fay.userId)).toBe(1);

    const response = await fetch(`${base}/api/integrations/todoist`, {
      method: 'DELETE',
      headers: fay.mutationHeaders,
    });
    expect(response.status).toBe(204);
    for (const table of ['connection', 'task_snapshot', 'task_completion']) {
      expect(await rowCount(table, fay.userId)).toBe(0);
    }
    expect(await redisKeysOf(fay.userId)).toEqual([]);
    await expectEventually(async () =>
      expect(await todoist.control.revokedTokens()).toContainEqual(
        expect.objectContaining({ userId: todoistId, kind: 'access' }),
      ),
    );
    expect(await todoistAccepts(token)).toBe(false);
    await expectEventually(async () => expect(await disconnectedEvents(fay.userId)).toBe(1));

    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: fay.cookie } });
    expect(await listed.json()).toEqual([
      expect.objectContaining({ provider: 'todoist', connected: false }),
    ]);
    // Disconnecting again is no error, and announces nothing new.
    const again = await fetch(`${base}/api/integrations/todoist`, {
      method: 'DELETE',
      headers: fay.mutationHeaders,
    });
    expect(again.status).toBe(204);
    expect(await disconnectedEvents(fay.userId)).toBe(1);
    expect(integrations.output()).not.toContain(token);
  });

  it('disconnects at once while Todoist’s revoke fails, and revokes once Todoist answers', async () => {
    const { user: gus, todoistId } = await connectNewAccount('gus@example.com');
    const token = await storedAccessToken(gus.userId);
    const revokeRequests = async () =>
      (await todoist.control.requests()).filter((entry) => entry.path.endsWith('/revoke'));
    const before = (await revokeRequests()).length;
    await todoist.control.failNext(2, { status: 503 });
    const response = await fetch(`${base}/api/integrations/todoist`, {
      method: 'DELETE',
      headers: gus.mutationHeaders,
    });
    expect(response.status).toBe(204);
    expect(await rowCount('connection', gus.userId)).toBe(0);
    expect(await rowCount('task_snapshot', gus.userId)).toBe(0);
    // Both failures went to the revoke: the grant is revoked by a later attempt.
    await expectEventually(
      async () => {
        const revokes = (await revokeRequests()).slice(before);
        expect(revokes.map((entry) => entry.status)).toEqual([503, 503, 200]);
        expect(await todoist.control.revokedTokens()).toContainEqual(
          expect.objectContaining({ userId: todoistId, kind: 'access' }),
        );
      },
      { timeoutMs: 30_000 },
    );
    expect(await todoistAccepts(token)).toBe(false);
    expect(integrations.output()).toContain(`revoke for ${gus.userId} not taken`);
  }, 60_000);

  it('sends the browser to ?error=unavailable when integrations does not answer', async () => {
    const dee = await signIn('dee@example.com');
    await stopProcesses([integrations]);
    const response = await visit(`${base}/integrations/todoist/connect`, dee.cookie);
    expect(location(response)).toBe(`${base}/connect?error=unavailable`);
    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: dee.cookie } });
    expect(listed.status).toBe(503);
    const disconnect = await fetch(`${base}/api/integrations/todoist`, {
      method: 'DELETE',
      headers: dee.mutationHeaders,
    });
    expect(disconnect.status).toBe(503);
  });
});

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
