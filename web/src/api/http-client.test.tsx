import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, failure, fakeServer, ok, type Reply } from '../test/fake-server';
import { ApiError } from './api-error';
import { readCsrfToken } from './csrf-token';
import { REFRESH_LOCK, request, setUnauthenticatedHandler, TIMEOUT_MS } from './http-client';

const unauthenticated = failure(401, 'unauthenticated', 'Sign in first');

/**
 * navigator.locks as a browser has it, one tab's view: `whileWaiting` runs before the lock is
 * granted, as another tab holding it would act meanwhile.
 */
function fakeWebLocks(whileWaiting: () => void = () => undefined) {
  const requested: string[] = [];
  const locks = {
    request: async (name: string, task: () => Promise<unknown>) => {
      requested.push(name);
      await Promise.resolve();
      whileWaiting();
      return task();
    },
  };
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  return { requested };
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'locks');
  setUnauthenticatedHandler(() => undefined);
});

describe('the HTTP client', () => {
  it('turns an error body into an ApiError with code, message and field', async () => {
    fakeServer({
      'PATCH /api/me': failure(400, 'invalid_request', 'must be HH:MM', 'quietHours.end'),
    });
    const error = await request('/api/me', { method: 'PATCH', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'must be HH:MM',
      field: 'quietHours.end',
    });
  });

  it('never retries a mutation, and never sends the CSRF header on a GET', async () => {
    const server = fakeServer({
      'POST /auth/logout': failure(503, 'unavailable', 'later'),
      'GET /api/integrations': ok([]),
    });
    await expect(request('/auth/logout', { method: 'POST' })).rejects.toBeInstanceOf(ApiError);
    expect(server.callsTo('POST /auth/logout')).toHaveLength(1);
    await request('/api/integrations');
    expect(server.callsTo('GET /api/integrations')[0]?.headers['x-oo-csrf']).toBeUndefined();
  });

  it('does not retry a GET the server refused (4xx)', async () => {
    vi.useFakeTimers();
    const server = fakeServer({ 'GET /api/tips/x': failure(404, 'not_found', 'No such tip') });
    await expect(request('/api/tips/x')).rejects.toMatchObject({ code: 'not_found' });
    expect(server.callsTo('GET /api/tips/x')).toHaveLength(1);
  });

  it('retries a GET that found no network', async () => {
    vi.useFakeTimers();
    const server = fakeServer({ 'GET /api/integrations': ['network-down', ok([])] });
    const result = request('/api/integrations');
    await vi.advanceTimersByTimeAsync(500);
    await expect(result).resolves.toEqual({ status: 200, body: [] });
    expect(server.callsTo('GET /api/integrations')).toHaveLength(2);
  });

  it('reads the CSRF token under its production name too', () => {
    expect(readCsrfToken('a=1; __Host-oo_csrf=abc')).toBe('abc');
    expect(readCsrfToken('oo_csrf=xyz')).toBe('xyz');
    expect(readCsrfToken('other=1')).toBeUndefined();
  });
});

describe('refreshing an expired session', () => {
  it('refreshes under the Web Lock all tabs share, then tries the call again', async () => {
    const { requested } = fakeWebLocks();
    const server = fakeServer({
      'GET /api/session': [unauthenticated, ok({ userId: 'u1' })],
      'POST /auth/refresh': { status: 204 },
    });
    await expect(request('/api/session')).resolves.toEqual({ status: 200, body: { userId: 'u1' } });
    expect(requested).toEqual([REFRESH_LOCK]);
    expect(REFRESH_LOCK).toBe('oo-refresh');
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(1);
  });

  it('does not spend the refresh token again when another tab refreshed while it waited', async () => {
    // Auth sets a new oo_csrf with every refresh: the other tab's shows in this one's cookies.
    fakeWebLocks(() => {
      document.cookie = 'oo_csrf=csrf-token-2; path=/';
    });
    const onUnauthenticated = vi.fn();
    setUnauthenticatedHandler(onUnauthenticated);
    const server = fakeServer({
      'GET /api/session': [unauthenticated, ok({ userId: 'u1' })],
      // The token this tab holds was spent by the other tab: presenting it would be a replay.
      'POST /auth/refresh': unauthenticated,
    });
    await expect(request('/api/session')).resolves.toEqual({ status: 200, body: { userId: 'u1' } });
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(0);
    expect(server.callsTo('GET /api/session')).toHaveLength(2);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('shares one refresh among the calls of a tab without Web Locks', async () => {
    const server = fakeServer({
      'GET /api/session': [unauthenticated, ok({ userId: 'u1' })],
      'GET /api/me': [unauthenticated, ok({ userId: 'u1' })],
      'POST /auth/refresh': { status: 204 },
    });
    await Promise.all([request('/api/session'), request('/api/me')]);
    expect('locks' in navigator).toBe(false);
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(1);
  });

  it.each<[string, Reply, number]>([
    ['no network', 'network-down', 0],
    ['a 503', failure(503, 'unavailable', 'Auth is restarting'), 503],
    ['a 429', failure(429, 'rate_limited', 'Too many requests'), 429],
  ])(
    'treats %s from /auth/refresh as a failure to report, not as signed out',
    async (_, reply, status) => {
      const onUnauthenticated = vi.fn();
      setUnauthenticatedHandler(onUnauthenticated);
      fakeServer({ 'PATCH /api/me': unauthenticated, 'POST /auth/refresh': reply });
      const error = await request('/api/me', { method: 'PATCH', body: {} }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status });
      expect(onUnauthenticated).not.toHaveBeenCalled();
    },
  );

  it('signs out only when /auth/refresh answers 401', async () => {
    const onUnauthenticated = vi.fn();
    setUnauthenticatedHandler(onUnauthenticated);
    fakeServer({ 'PATCH /api/me': unauthenticated, 'POST /auth/refresh': unauthenticated });
    await expect(request('/api/me', { method: 'PATCH', body: {} })).rejects.toMatchObject({
      status: 401,
    });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('never aborts a slow refresh (the server may complete it); callers stop waiting instead', async () => {
    vi.useFakeTimers();
    const onUnauthenticated = vi.fn();
    setUnauthenticatedHandler(onUnauthenticated);
    const slow = deferred();
    const server = fakeServer({
      'GET /api/session': unauthenticated,
      'POST /auth/refresh': { status: 204, after: slow.promise },
    });
    const result = request('/api/session').catch((e: unknown) => e);
    // Three tries, each waiting TIMEOUT_MS for the one refresh, with the pauses between them.
    await vi.advanceTimersByTimeAsync(3 * TIMEOUT_MS + 1500);
    expect(await result).toMatchObject({ status: 0, code: 'timeout' });
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(1);
    const [, init] = vi.mocked(fetch).mock.calls.find(([path]) => path === '/auth/refresh')!;
    expect(init?.signal?.aborted).toBe(false);
    expect(onUnauthenticated).not.toHaveBeenCalled();

    // When it does complete, its new cookies are there for the next call, without a refresh.
    slow.resolve();
    document.cookie = 'oo_csrf=csrf-token-2; path=/';
    await vi.advanceTimersByTimeAsync(0);
    server.answer('GET /api/session', ok({ userId: 'u1' }));
    await expect(request('/api/session')).resolves.toMatchObject({ status: 200 });
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(1);
  });
});
