import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, handleControl } from './control-routes.js';
import { sendJson } from './http.js';
import { PushService } from './push-service.js';
import { handlePush, PUSH_PREFIX } from './push-routes.js';
import type { LocalPushControl } from './types.js';

export interface LocalPushOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * The service's clock in epoch ms (default `Date.now`): a test moves it forward to let TTLs
   * run out instead of sleeping. VAPID `exp` is checked against it too.
   */
  now?: () => number;
}

export interface LocalPush {
  /** The service's origin, e.g. `http://127.0.0.1:41234`: what VAPID's `aud` must be. */
  url: string;
  control: LocalPushControl;
  close(): Promise<void>;
}

/** Runs a synchronous operation as a control call: its error becomes a rejection. */
function settled<T>(operation: () => T): Promise<T> {
  return new Promise((resolve) => resolve(operation()));
}

function controlOf(service: PushService): LocalPushControl {
  return {
    createSubscription: (options) => settled(() => service.createSubscription(options)),
    removeSubscription: (id) => settled(() => service.removeSubscription(id)),
    setOnline: (id, online) => settled(() => service.setOnline(id, online)),
    respondNext: (answer) => settled(() => service.respondNext(answer)),
    // Copies, as over HTTP: a test that edits what it read cannot change the record.
    delivered: (id) => settled(() => structuredClone(service.delivered(id))),
    queued: (id) => settled(() => structuredClone(service.queued(id))),
    attempts: (id) => settled(() => structuredClone(service.attempts(id))),
    reset: () => settled(() => service.reset()),
  };
}

/** Starts a local Web Push service: push endpoints and `/_control` in one HTTP server. */
export async function startLocalPush(options: LocalPushOptions = {}): Promise<LocalPush> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  // The origin is known only once listening; it is part of every endpoint and of VAPID's aud.
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  const service = new PushService(origin, options.now ?? Date.now);
  const control = controlOf(service);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname;
    const pushId = path.startsWith(`${PUSH_PREFIX}/`) ? path.slice(PUSH_PREFIX.length + 1) : '';
    if (pushId && !pushId.includes('/')) await handlePush(service, req, res, pushId);
    else if (path.startsWith(`${CONTROL_PREFIX}/`))
      await handleControl(control, req, res, path.slice(CONTROL_PREFIX.length + 1));
    else if (path === '/health') sendJson(res, 200, { status: 'ok' });
    else sendJson(res, 404, { code: 404, error: 'Not Found' });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  return {
    url: origin,
    control,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
