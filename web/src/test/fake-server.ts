import { vi } from 'vitest';
import type { IntegrationSummary, Profile, Session, Tip } from '../api/oo-api';

/**
 * One answer of the fake server: a status and a JSON body (given only once `after` settles, if
 * set), or no answer at all.
 */
export type Reply = Answer | 'network-down' | 'hang';
type Answer = { status: number; body?: unknown; after?: Promise<unknown> };
type Route = Reply | Reply[] | ((call: RecordedCall) => Reply);

export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export const ok = (body?: unknown): Answer => ({
  status: body === undefined ? 204 : 200,
  body,
});
export const noContent: Reply = { status: 204 };
export const failure = (status: number, code: string, message: string, field?: string): Reply => ({
  status,
  body: { error: { code, message, ...(field ? { field } : {}) } },
});

/**
 * Stubs `fetch` with a table of `"METHOD /path"` → reply. A list answers in turn and keeps
 * answering with its last reply. Every call is recorded, with its headers and parsed body.
 */
export function fakeServer(routes: Record<string, Route>) {
  const calls: RecordedCall[] = [];
  const served = new Map<string, number>();
  const table: Record<string, Route> = { ...signedInRoutes(), ...pushRoutes(), ...routes };

  const fetchStub = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const address =
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(address, window.location.origin);
    const method = (init.method ?? 'GET').toUpperCase();
    const call: RecordedCall = {
      method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    const route = table[key];
    const count = served.get(key) ?? 0;
    served.set(key, count + 1);
    const reply: Reply =
      route === undefined
        ? failure(404, 'not_found', `No fake for ${key}`)
        : typeof route === 'function'
          ? route(call)
          : Array.isArray(route)
            ? route[Math.min(count, route.length - 1)]!
            : route;
    if (reply === 'network-down') throw new TypeError('Failed to fetch');
    const { status, body, after } = reply === 'hang' ? HANGING : reply;
    if (after) await heldUntil(after, init.signal);
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchStub);

  return {
    calls,
    /** The calls to one route, e.g. `callsTo('POST /api/tips/t1/feedback')`. */
    callsTo: (route: string) => calls.filter((call) => `${call.method} ${call.path}` === route),
    /** Change or add routes while the test runs. */
    answer: (route: string, reply: Route) => {
      table[route] = reply;
      served.delete(route);
    },
  };
}

/** A reply that never comes. */
const HANGING: Answer = { status: 504, after: new Promise<never>(() => undefined) };

/** Waits for `after`; a fetch aborted meanwhile fails as a real one would. */
function heldUntil(after: Promise<unknown>, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    void after.then(() => resolve());
    signal?.addEventListener('abort', () => reject(signal.reason as Error));
  });
}

/** A promise the test settles when it chooses: `{ ...ok(), after: gate.promise }` holds a reply. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

export const TERMS_VERSION = '2026-11-01';

export function aSession(overrides: Partial<Session> = {}): Session {
  return {
    userId: 'u1',
    sessionId: 's1',
    expiresAt: '2030-01-01T00:00:00.000Z',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    roles: [],
    ...overrides,
  };
}

export function aProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    userId: 'u1',
    timezone: 'Europe/Berlin',
    quietHours: { start: '22:00', end: '07:00' },
    push: { enabled: false },
    consent: { termsVersion: TERMS_VERSION, acceptedAt: '2026-11-02T10:00:00.000Z' },
    updatedAt: '2026-11-02T10:00:00.000Z',
    ...overrides,
  };
}

export function aTip(overrides: Partial<Tip> = {}): Tip {
  return {
    tipId: '0193a5f0-0000-7000-8000-000000000001',
    taskId: 'task-1',
    title: 'Call the dentist',
    source: 'todoist',
    priority: 4,
    due: null,
    servedAt: '2026-12-03T09:00:00.000Z',
    url: 'https://app.todoist.com/app/task/task-1',
    policy: 'linucb-v1',
    explored: false,
    why: {
      kind: 'model',
      summary: 'You tend to finish urgent tasks in the morning.',
      reasons: [
        { term: 'priority', text: 'urgent' },
        { term: 'is_overdue', text: 'overdue' },
      ],
    },
    ...overrides,
  };
}

export function todoist(status: IntegrationSummary['status']): IntegrationSummary {
  const connected = status !== 'not_connected';
  return {
    provider: 'todoist',
    connected,
    connectedAt: connected ? '2026-12-01T10:00:00.000Z' : null,
    lastSyncAt: status === 'ok' ? '2026-12-03T08:00:00.000Z' : null,
    status,
  };
}

/** The server's VAPID public key: an uncompressed P-256 point (0x04, then x and y). */
export const VAPID_KEY_BYTES = Uint8Array.from({ length: 65 }, (_, index) =>
  index === 0 ? 4 : index,
);
/** The same key as GET /api/push/vapid-public-key gives it: base64url, no padding. */
export const VAPID_PUBLIC_KEY = btoa(String.fromCharCode(...VAPID_KEY_BYTES))
  .replaceAll('+', '-')
  .replaceAll('/', '_')
  .replace(/=+$/, '');

/** Push through the gateway, when all goes well: the key, storing and forgetting a device. */
function pushRoutes(): Record<string, Route> {
  return {
    'GET /api/push/vapid-public-key': ok({ publicKey: VAPID_PUBLIC_KEY }),
    'POST /api/push/subscriptions': { status: 201, body: { endpointHash: 'e0'.repeat(32) } },
    'DELETE /api/push/subscriptions': noContent,
  };
}

/** What every signed-in page asks first: who is this, and did they accept the terms. */
function signedInRoutes(): Record<string, Route> {
  return {
    'GET /api/session': ok(aSession()),
    'GET /api/me': ok(aProfile()),
    'GET /api/legal/terms': ok({
      document: 'terms',
      version: TERMS_VERSION,
      markdown: '# Terms of Service\n\nBe kind.',
    }),
  };
}
