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

let onUnauthenticated: () => void = () => undefined;
let refreshing: Promise<boolean> | undefined;

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
 * and a 401 from /api answered by one session refresh before giving up.
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
  try {
    return await attempt(path, method, options);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !path.startsWith('/api/')) {
      throw error;
    }
    if (await refreshSession()) {
      try {
        return await attempt(path, method, options);
      } catch (retryError) {
        if (retryError instanceof ApiError && retryError.status === 401) onUnauthenticated();
        throw retryError;
      }
    }
    onUnauthenticated();
    throw error;
  }
}

async function attempt(
  path: string,
  method: HttpMethod,
  options: RequestOptions,
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = readCsrfToken();
    if (token !== undefined) headers['x-oo-csrf'] = token;
  }
  // A timer of our own rather than AbortSignal.timeout: it covers reading the body too.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
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
      ? new ApiError({
          status: 0,
          code: 'timeout',
          message: 'oO took too long to answer.',
          fromServer: false,
        })
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

/** One refresh at a time: calls that fail together share it. */
function refreshSession(): Promise<boolean> {
  refreshing ??= attempt('/auth/refresh', 'POST', {})
    .then(() => true)
    .catch(() => false)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

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
