import { ApiError, apiErrorFrom } from './api-error';
import { readCsrfToken } from './csrf-token';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

export interface ApiResponse {
  status: number;
  /** The parsed JSON body; undefined for 204 and empty bodies. */
  body: unknown;
}

/** How long one attempt may take before it counts as failed. */
export const TIMEOUT_MS = 10_000;
/** A failed GET is tried again after these pauses: three tries in all. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1000];

/** What asking auth for a new session gave: only its 401 means the session is over. */
export type RefreshOutcome = 'refreshed' | 'rejected';

/**
 * The Web Lock every tab of oO takes around a refresh. The refresh token rotates: a second tab
 * presenting the one the first tab just spent looks like a stolen token, and ends the session.
 */
export const REFRESH_LOCK = 'oo-refresh';

let onUnauthenticated: () => void = () => undefined;
let refreshing: Promise<RefreshOutcome> | undefined;

/**
 * Called when a call to /api stays unauthenticated after one refresh: the app sends the person
 * to sign in, coming back where they were.
 */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/**
 * One call to oO's own server: same origin, JSON both ways, the CSRF header on mutations, a
 * timeout per attempt, GETs (idempotent) retried with back-off on network failures and 5xx,
 * and a 401 from /api answered by one session refresh before giving up. A refresh that could
 * not reach auth rejects with its own (transient) error: that is no reason to sign in again.
 * Resolves with any 2xx; rejects with an ApiError otherwise.
 */
export async function request(path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const method = options.method ?? 'GET';
  const retryable = method === 'GET';
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestWithRefresh(path, method, options);
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (!retryable || delay === undefined || !isTransient(error) || options.signal?.aborted) {
        throw error;
      }
      await pause(delay, options.signal);
    }
  }
}

async function requestWithRefresh(
  path: string,
  method: HttpMethod,
  options: RequestOptions,
): Promise<ApiResponse> {
  // Auth sets a new oo_csrf cookie with every session it issues: one that differs from this
  // value later means another tab (or another call of this one) refreshed in the meantime.
  const csrfWhenSent = readCsrfToken();
  try {
    return await attempt(path, method, options);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !path.startsWith('/api/')) {
      throw error;
    }
    if ((await refreshSession(csrfWhenSent)) === 'rejected') {
      onUnauthenticated();
      throw error;
    }
    try {
      return await attempt(path, method, options);
    } catch (retryError) {
      if (retryError instanceof ApiError && retryError.status === 401) onUnauthenticated();
      throw retryError;
    }
  }
}

/** One request; with `timeoutMs` null it waits as long as the server takes. */
async function attempt(
  path: string,
  method: HttpMethod,
  options: RequestOptions,
  timeoutMs: number | null = TIMEOUT_MS,
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = readCsrfToken();
    if (token !== undefined) headers['x-oo-csrf'] = token;
  }
  // A timer of our own rather than AbortSignal.timeout: it covers reading the body too.
  const timeout = new AbortController();
  const timer = timeoutMs === null ? undefined : setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout.signal])
    : timeout.signal;
  try {
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal,
    });
    if (!response.ok) throw await apiErrorFrom(response);
    return { status: response.status, body: await jsonBody(response) };
  } catch (cause) {
    if (cause instanceof ApiError || options.signal?.aborted) throw cause;
    throw timeout.signal.aborted
      ? timeoutError()
      : new ApiError({
          status: 0,
          code: 'network',
          message: 'No connection to oO.',
          fromServer: false,
        });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One refresh at a time, across this tab's calls (they share it) and across tabs (the Web Lock,
 * where the browser has one). Holding the lock, a changed oo_csrf cookie means someone else
 * already refreshed: the failed call is just tried again, presenting no spent token.
 *
 * The refresh itself has no client timeout: aborting one the server completes would lose the
 * new cookies and leave only the spent token. A caller stops waiting after TIMEOUT_MS instead
 * (a transient failure, as any slow call), while the refresh goes on holding the lock.
 */
function refreshSession(csrfWhenSent: string | undefined): Promise<RefreshOutcome> {
  refreshing ??= holdingRefreshLock(() =>
    readCsrfToken() === csrfWhenSent ? postRefresh() : Promise.resolve('refreshed' as const),
  ).finally(() => {
    refreshing = undefined;
  });
  return waitAtMost(refreshing, TIMEOUT_MS);
}

async function postRefresh(): Promise<RefreshOutcome> {
  try {
    await attempt('/auth/refresh', 'POST', {}, null);
    return 'refreshed';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'rejected';
    throw error;
  }
}

function holdingRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  return 'locks' in navigator ? navigator.locks.request(REFRESH_LOCK, task) : task();
}

function waitAtMost<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms);
    void work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

const timeoutError = (): ApiError =>
  new ApiError({
    status: 0,
    code: 'timeout',
    message: 'oO took too long to answer.',
    fromServer: false,
  });

async function jsonBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** Worth another try: no answer at all, or the server (or a proxy) failing for now. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 429)
  );
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
