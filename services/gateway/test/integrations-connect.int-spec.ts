import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oo/database';
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
import pg from 'pg';
import { devSignIn, type SignedIn } from './support/dev-sign-in.js';
import { startTodoistStandIn, type TodoistStandIn } from './support/todoist-stand-in.js';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const CLIENT_ID = 'oo-connect-test';
const CLIENT_SECRET = 'oo-connect-secret';
const TODOIST_USER = '9001';

/**
 * Connecting Todoist as a browser lives it: gateway `/integrations/todoist/connect` → Todoist's
 * consent page (a stand-in) → gateway callback → integrations exchanges the code and stores the
 * connection → the SPA's `/connect` page. auth and integrations are processes; the gateway runs
 * in the test.
 */
describe('Connect Todoist, end to end through the gateway', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  let todoist: TodoistStandIn;
  let sql: pg.Client;
  let integrations: RunningProcess;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth', 'integrations'] });
    nats = await createTestNats('gateway_connect');
    const gatewayPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    todoist = await startTodoistStandIn({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      callbackUrl: `${base}/integrations/todoist/callback`,
      todoistUserId: TODOIST_USER,
    });
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL: base });
    const [auth, integrationsService] = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      startServiceProcess('integrations', {
        ...env,
        TODOIST_CLIENT_ID: CLIENT_ID,
        TODOIST_CLIENT_SECRET: CLIENT_SECRET,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
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

  async function connectionRows(userId: string) {
    const { rows } = await sql.query<{
      provider_user_id: string;
      status: string;
      access_token_ciphertext: Buffer;
      access_token_key_id: string;
      refresh_token_ciphertext: Buffer | null;
    }>(`SELECT * FROM integrations.connection WHERE user_id = $1`, [userId]);
    return rows;
  }

  async function connectedEvents(userId: string): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire(`signals.integration.connected.${userId}`),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  it('connects with a state bound to the session; another session’s callback is refused; the token is stored only as ciphertext', async () => {
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
    const callback = location(await visit(authorize.toString()));
    expect(callback.startsWith(`${base}/integrations/todoist/callback?`)).toBe(true);
    expect(location(await visit(callback, adaOtherTab.cookie))).toBe(
      `${base}/connect?error=bad_state`,
    );
    expect(todoist.exchanges).toHaveLength(0);
    expect(await connectionRows(ada.userId)).toHaveLength(0);
    // The state was good for one callback: even the right session cannot use it now.
    expect(location(await visit(callback, ada.cookie))).toBe(`${base}/connect?error=bad_state`);
    expect(todoist.exchanges).toHaveLength(0);

    // A fresh attempt from the session that started it connects.
    const again = await startConnect(ada);
    const back = location(await visit(again.toString()));
    expect(location(await visit(back, ada.cookie))).toBe(`${base}/connect?connected=todoist`);
    expect(todoist.exchanges).toEqual([
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code: new URL(back).searchParams.get('code'),
      },
    ]);

    const rows = await connectionRows(ada.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      provider_user_id: TODOIST_USER,
      status: 'ok',
      access_token_key_id: 'k1',
    });
    const [token] = todoist.issuedTokens;
    const stored = rows[0]!.access_token_ciphertext;
    expect(stored.length).toBeGreaterThan(16);
    expect(stored.includes(Buffer.from(token!))).toBe(false);
    expect(stored.toString('utf8')).not.toContain(token!.slice(-16));
    expect(rows[0]!.refresh_token_ciphertext).toBeNull();

    await expectEventually(async () => expect(await connectedEvents(ada.userId)).toBe(1));

    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: ada.cookie } });
    expect(listed.status).toBe(200);
    const { integrations: summaries } = (await listed.json()) as {
      integrations: Array<Record<string, unknown>>;
    };
    expect(summaries).toEqual([
      expect.objectContaining({
        provider: 'todoist',
        connected: true,
        status: 'ok',
        lastSyncAt: null,
      }),
    ]);
    expect(JSON.stringify(summaries)).not.toContain(token!);
  });

  it('sends the browser back with ?error=access_denied when the user denies, and stores nothing', async () => {
    const bea = await signIn('bea@example.com');
    todoist.consent = 'deny';
    try {
      const authorize = await startConnect(bea);
      const callback = location(await visit(authorize.toString()));
      expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
      expect(location(await visit(callback, bea.cookie))).toBe(
        `${base}/connect?error=access_denied`,
      );
    } finally {
      todoist.consent = 'allow';
    }
    expect(await connectionRows(bea.userId)).toHaveLength(0);
    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: bea.cookie } });
    expect(await listed.json()).toEqual({
      integrations: [
        {
          provider: 'todoist',
          connected: false,
          connectedAt: null,
          lastSyncAt: null,
          status: 'not_connected',
        },
      ],
    });
  });

  it('answers ?error=provider_down when Todoist’s token endpoint fails, and stores nothing', async () => {
    const cy = await signIn('cy@example.com');
    todoist.tokenEndpointDown = true;
    try {
      const authorize = await startConnect(cy);
      const callback = location(await visit(authorize.toString()));
      expect(location(await visit(callback, cy.cookie))).toBe(
        `${base}/connect?error=provider_down`,
      );
    } finally {
      todoist.tokenEndpointDown = false;
    }
    expect(await connectionRows(cy.userId)).toHaveLength(0);
    expect(await connectedEvents(cy.userId)).toBe(0);
  });

  it('sends a callback without a session to ?error=not_signed_in', async () => {
    const response = await visit(`${base}/integrations/todoist/callback?code=abc&state=xyz`);
    expect(location(response)).toBe(`${base}/connect?error=not_signed_in`);
  });

  it('sends the browser to ?error=unavailable when integrations does not answer', async () => {
    const dee = await signIn('dee@example.com');
    await stopProcesses([integrations]);
    const response = await visit(`${base}/integrations/todoist/connect`, dee.cookie);
    expect(location(response)).toBe(`${base}/connect?error=unavailable`);
    const listed = await fetch(`${base}/api/integrations`, { headers: { cookie: dee.cookie } });
    expect(listed.status).toBe(503);
  });
});
