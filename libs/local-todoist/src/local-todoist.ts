import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi, requestUser, type ApiContext } from './api-routes.js';
import { AuthStore } from './auth.js';
import { handleControl } from './control-routes.js';
import { sendJson } from './http.js';
import { handleOAuth, type OAuthContext } from './oauth-routes.js';
import { RateLimiter } from './rate-limit.js';
import { DEMO_USER, demoTasks } from './seed.js';
import { NotFound, TaskStore, type ItemEvent } from './tasks.js';
import type { FaultOptions, LocalTodoistControl, RequestLogEntry } from './types.js';
import { WebhookSender } from './webhooks.js';

export const OAUTH_PREFIX = '/oauth';
export const API_PREFIX = '/api/v1';
export const CONTROL_PREFIX = '/__control';

export interface LocalTodoistOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  clientId: string;
  clientSecret: string;
  /** The app's configured OAuth redirect URL (an authorize request may also name one). */
  redirectUri?: string;
  /** The app's webhook callback URL; no deliveries while unset. */
  webhookUrl?: string;
  /** `demo`: one user with a realistic task list, signed in. */
  seed?: 'demo';
  /** When set, access tokens expire after this long and come with a rotating refresh token. */
  tokenTtlSeconds?: number;
  /** The app name the authorize page shows. */
  appName?: string;
}

export interface LocalTodoist {
  /** The server's origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** What `TODOIST_OAUTH_URL` points at (real: `https://todoist.com/oauth`). */
  oauthUrl: string;
  /** What `TODOIST_API_URL` points at (real: `https://api.todoist.com/api/v1`). */
  apiUrl: string;
  control: LocalTodoistControl;
  close(): Promise<void>;
}

/** Runs a synchronous operation as a control call: its error becomes a rejection. */
function settled<T>(operation: () => T): Promise<T> {
  return new Promise((resolve) => resolve(operation()));
}

interface Faults {
  fail: number;
  failStatus: number;
  hang: number;
}

/** Starts a local Todoist: OAuth, API v1 and webhooks in one HTTP server, driven by `control`. */
export async function createLocalTodoist(options: LocalTodoistOptions): Promise<LocalTodoist> {
  const auth = new AuthStore(
    {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri: options.redirectUri ?? null,
    },
    options.tokenTtlSeconds ?? null,
  );
  const webhooks = new WebhookSender(options.clientSecret, options.webhookUrl ?? null);
  /** Deliveries started while a control call runs: the call resolves once they are answered. */
  let collecting: Promise<unknown>[] | null = null;
  const onEvent = (event: ItemEvent): void => {
    const user = tasks.user(event.userId);
    if (!user || !auth.hasAuthorised(event.userId)) return;
    const delivery = webhooks.deliver(event, user);
    if (collecting) collecting.push(delivery);
  };
  const tasks = new TaskStore(onEvent);
  const rateLimiter = new RateLimiter();
  const requestLog: RequestLogEntry[] = [];
  const faults: Faults = { fail: 0, failStatus: 503, hang: 0 };
  const hanging = new Set<ServerResponse>();
  let signedIn: string | null = null;

  if (options.seed === 'demo') {
    const user = tasks.addUser(DEMO_USER);
    signedIn = user.id;
    for (const input of demoTasks()) tasks.addTask(user.id, input, false);
  }

  const oauthContext: OAuthContext = {
    auth,
    tasks,
    appName: options.appName ?? 'oO',
    signedInUserId: () => {
      if (signedIn && tasks.user(signedIn)) return signedIn;
      // Someone is always signed in to a Todoist: the first user, or a fresh one.
      signedIn = tasks.allUsers()[0]?.id ?? tasks.addUser().id;
      return signedIn;
    },
  };
  const apiContext: ApiContext = { auth, tasks, rateLimiter, seenRequestIds: new Set() };

  async function withDeliveries<T>(operation: () => T): Promise<T> {
    const previous = collecting;
    const mine: Promise<unknown>[] = [];
    collecting = mine;
    try {
      const result = operation();
      await Promise.all(mine);
      return result;
    } finally {
      collecting = previous;
    }
  }

  const control: LocalTodoistControl = {
    addUser: (input) => settled(() => tasks.addUser(input)),
    signIn: (userId) =>
      settled(() => {
        signedIn = userId;
      }),
    addTasks: (userId, inputs, { notify = true } = {}) =>
      withDeliveries(() => inputs.map((input) => tasks.addTask(userId, input, notify))),
    updateTask: (taskId, patch) => withDeliveries(() => tasks.updateTask(taskId, patch)),
    completeTask: (taskId) => withDeliveries(() => tasks.completeTask(taskId)),
    deleteTask: (taskId) => withDeliveries(() => tasks.deleteTask(taskId)),
    openTasks: (userId) => settled(() => tasks.openTasks(userId).map(({ task }) => task)),
    task: (taskId) => settled(() => tasks.task(taskId)),
    completionCount: (taskId) => settled(() => tasks.completionCount(taskId)),
    setRateLimit: (maxRequests, windowSeconds) =>
      settled(() => rateLimiter.configure(maxRequests, windowSeconds)),
    failNext: (count, { status = 503 }: FaultOptions = {}) =>
      settled(() => {
        faults.fail = count;
        faults.failStatus = status;
      }),
    hangNext: (count) =>
      settled(() => {
        faults.hang = count;
      }),
    expireAccessTokens: () => settled(() => auth.expireAll()),
    requests: () => settled(() => requestLog.map((entry) => ({ ...entry }))),
    revokedTokens: () => settled(() => auth.revokedTokens()),
    setWebhookUrl: (url) =>
      settled(() => {
        webhooks.url = url;
      }),
    dropNextWebhooks: (count) => settled(() => webhooks.dropNext(count)),
    redeliver: (deliveryId) => webhooks.redeliver(deliveryId),
    deliveries: () => settled(() => webhooks.deliveries()),
  };

  /** Faults apply where oO talks to Todoist server to server: the API and the token endpoint. */
  function injectFault(res: ServerResponse): boolean {
    if (faults.hang > 0) {
      faults.hang -= 1;
      hanging.add(res);
      return true;
    }
    if (faults.fail > 0) {
      faults.fail -= 1;
      sendJson(res, faults.failStatus, {
        error: 'Service unavailable',
        http_code: faults.failStatus,
      });
      return true;
    }
    return false;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    if (path.startsWith(CONTROL_PREFIX + '/')) {
      await handleControl(control, req, res, path.slice(CONTROL_PREFIX.length + 1));
      return;
    }
    const userId = path.startsWith(API_PREFIX) ? requestUser(apiContext, req) : null;
    res.on('finish', () =>
      requestLog.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        at: new Date().toISOString(),
        userId,
        status: res.statusCode,
      }),
    );
    const serverToServer = path.startsWith(API_PREFIX) || path === `${OAUTH_PREFIX}/access_token`;
    if (serverToServer && injectFault(res)) return;
    let handled = false;
    if (path.startsWith(OAUTH_PREFIX + '/'))
      handled = await handleOAuth(
        oauthContext,
        req,
        res,
        path.slice(OAUTH_PREFIX.length),
        url.searchParams,
      );
    else if (path.startsWith(API_PREFIX + '/'))
      handled = await handleApi(
        apiContext,
        req,
        res,
        path.slice(API_PREFIX.length),
        url.searchParams,
      );
    else if (path === '/health') {
      sendJson(res, 200, { status: 'ok' });
      handled = true;
    }
    if (!handled) sendJson(res, 404, { error: 'Not found', http_code: 404 });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      const status = error instanceof NotFound ? 404 : 400;
      sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: origin,
    oauthUrl: origin + OAUTH_PREFIX,
    apiUrl: origin + API_PREFIX,
    control,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
