import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { createLocalTodoist, type LocalTodoist, type TodoistUser } from '@oo/local-todoist';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  createTestNats,
  expectEventually,
  freePort,
  serviceTestEnv,
  startServiceProcess,
  stopProcesses,
  type RunningProcess,
  type TestNats,
} from '@oo/testing';
import { devSignIn, type SignedIn } from './support/dev-sign-in.js';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const CLIENT_ID = 'oo-tip-loop-test';
const CLIENT_SECRET = 'oo-tip-loop-secret';

interface TipBody {
  tipId: string;
  taskId: string;
  title: string;
  source: string;
  url: string | null;
  servedAt: string;
  explored: boolean;
  why: { kind: string; summary: string; reasons: Array<{ term: string; text: string }> };
}

/**
 * The product's loop as a user lives it, every service its own process and Todoist the local
 * one: sign in, connect Todoist, get one tip, mark it done; the task is closed at Todoist, the
 * user's model has learned once, and the next tip is another task.
 */
describe('The tip loop, end to end through the gateway', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  let todoist: LocalTodoist;
  let todoistUser: TodoistUser;
  let rpc: RpcClient;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['auth', 'profile', 'integrations', 'recommender'],
    });
    nats = await createTestNats('gateway_tip_loop');
    rpc = new RpcClient(nats.nc, nats.topology);
    const gatewayPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${base}/integrations/todoist/callback`,
    });
    todoistUser = await todoist.control.addUser({ fullName: 'Ada Todoist' });
    await todoist.control.signIn(todoistUser.id);
    await todoist.control.addTasks(
      todoistUser.id,
      [
        { content: 'Pay rent', priority: 4 },
        { content: 'Water the plants', priority: 2 },
        { content: 'Call the plumber', priority: 3 },
      ],
      { notify: false },
    );
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL: base });
    const started = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      startServiceProcess('profile', env),
      startServiceProcess('integrations', {
        ...env,
        TODOIST_CLIENT_ID: CLIENT_ID,
        TODOIST_CLIENT_SECRET: CLIENT_SECRET,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      }),
      startServiceProcess('recommender', env),
      startServiceProcess('scorer', env),
    ]);
    processes.push(...started.map((service) => service.process));
    gateway = await createGateway(
      loadGatewayEnv({ ...env, PORT: String(gatewayPort), AUTH_URL: started[0].url }),
    );
    await gateway.start();
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await stopProcesses(processes);
    await todoist?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  async function signIn(email: string): Promise<SignedIn> {
    let signedIn: SignedIn | undefined;
    await expectEventually(async () => {
      signedIn = await devSignIn(base, base, email);
    });
    return signedIn!;
  }

  /** The browser's connect round trip: gateway → Todoist's consent page (Allow) → callback. */
  async function connectTodoist(browser: SignedIn): Promise<void> {
    const toTodoist = await fetch(`${base}/integrations/todoist/connect`, {
      redirect: 'manual',
      headers: { cookie: browser.cookie },
    });
    const authorize = new URL(toTodoist.headers.get('location')!);
    const page = await (await fetch(authorize)).text();
    const form = new URLSearchParams();
    for (const [, name, value] of page.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
    )) {
      form.set(name!, value!.replaceAll('&amp;', '&'));
    }
    form.set('user_id', todoistUser.id);
    form.set('decision', 'allow');
    const consented = await fetch(new URL('authorize', authorize), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const callback = await fetch(consented.headers.get('location')!, {
      redirect: 'manual',
      headers: { cookie: browser.cookie },
    });
    expect(callback.headers.get('location')).toContain('connected=todoist');
  }

  async function currentTip(browser: SignedIn): Promise<Response> {
    return fetch(`${base}/api/tip`, { headers: { cookie: browser.cookie } });
  }

  async function modelUpdates(userId: string): Promise<number> {
    return (await rpc.call(RPC.scorer.stats, { userId }, 2_000)).n;
  }

  it('serves one of the user’s tasks with why, the same until a reaction; done closes it at Todoist, teaches the model once, and the next tip is another task', async () => {
    const ada = await signIn('ada@example.com');
    expect((await currentTip(ada)).status).toBe(204); // nothing connected yet
    await connectTodoist(ada);

    let first: TipBody | undefined;
    await expectEventually(async () => {
      const response = await currentTip(ada);
      expect(response.status).toBe(200);
      first = (await response.json()) as TipBody;
    });
    const open = await todoist.control.openTasks(todoistUser.id);
    const served = open.find((task) => task.id === first!.taskId);
    expect(served?.content).toBe(first!.title);
    expect(first!.source).toBe('todoist');
    expect(typeof first!.explored).toBe('boolean');
    expect(first!.why.summary).toMatch(/\w/);

    const again = (await (await currentTip(ada)).json()) as TipBody;
    expect(again.tipId).toBe(first!.tipId);
    expect(again.servedAt).toBe(first!.servedAt);

    const before = await modelUpdates(ada.userId);
    const done = await fetch(`${base}/api/tips/${first!.tipId}/feedback`, {
      method: 'POST',
      headers: { ...ada.mutationHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'done' }),
    });
    expect(done.status).toBe(200);

    await expectEventually(async () => {
      expect((await todoist.control.task(first!.taskId))?.checked).toBe(true);
      expect(await modelUpdates(ada.userId)).toBe(before + 1);
    });
    const next = (await (await currentTip(ada)).json()) as TipBody;
    expect(next.tipId).not.toBe(first!.tipId);
    expect(next.taskId).not.toBe(first!.taskId);
    expect(await todoist.control.completionCount(first!.taskId)).toBe(1);
  });
});
