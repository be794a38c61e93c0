import { describe, expect, it, vi } from 'vitest';
import { failure, fakeServer, ok } from '../test/fake-server';
import { ApiError } from './api-error';
import { readCsrfToken } from './csrf-token';
import { request } from './http-client';

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
