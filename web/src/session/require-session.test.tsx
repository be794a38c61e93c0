import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../test/render-app';
import {
  aProfile,
  aTip,
  failure,
  fakeServer,
  ok,
  TERMS_VERSION,
  type Reply,
} from '../test/fake-server';

const unauthenticated = failure(401, 'unauthenticated', 'Sign in first');

describe('the guard of signed-in pages', () => {
  it('refreshes an expired session once (with the CSRF header) and carries on', async () => {
    const server = fakeServer({
      'GET /api/session': [unauthenticated, ok({ userId: 'u1' })],
      'POST /auth/refresh': { status: 204 },
      'GET /api/tip': ok(aTip()),
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
    const refreshes = server.callsTo('POST /auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('sends a stranger to sign in, coming back to the same page afterwards', async () => {
    const server = fakeServer({
      'GET /api/session': unauthenticated,
      'POST /auth/refresh': unauthenticated,
      'GET /auth/methods': ok({ google: true, devLogin: false }),
    });
    renderApp('/settings?from=mail');
    expect(await screen.findByRole('heading', { level: 1, name: 'oO' })).toBeTruthy();
    expect(window.location.pathname).toBe('/signin');
    expect(new URLSearchParams(window.location.search).get('returnTo')).toBe('/settings?from=mail');
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(1);
    expect(server.callsTo('GET /api/session')).toHaveLength(1);
  });

  it('sends to sign in once, however many calls fail together, with no returnTo in returnTo', async () => {
    const server = fakeServer({
      'GET /api/me': unauthenticated,
      'GET /api/legal/terms': unauthenticated,
      'POST /auth/refresh': unauthenticated,
      'GET /auth/methods': ok({ google: true, devLogin: false }),
    });
    renderApp('/settings');
    expect(await screen.findByRole('link', { name: 'Continue with Google' })).toBeTruthy();
    // Both calls gave up (each calls the unauthenticated handler); only the first moved the page.
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(server.callsTo('GET /api/me')).toHaveLength(1);
    expect(server.callsTo('GET /api/legal/terms')).toHaveLength(1);
    expect(window.location.pathname + window.location.search).toBe('/signin?returnTo=%2Fsettings');
  });

  it.each<[string, Reply]>([
    ['no network', 'network-down'],
    ['a 503', failure(503, 'unavailable', 'Auth is restarting')],
    ['a 429', failure(429, 'rate_limited', 'Too many requests')],
  ])('shows "Couldn\'t reach oO", not the sign-in, when the refresh meets %s', async (_, reply) => {
    vi.useFakeTimers();
    const server = fakeServer({
      'GET /api/session': [unauthenticated, unauthenticated, unauthenticated, ok({ userId: 'u1' })],
      'POST /auth/refresh': [reply, reply, reply, { status: 204 }],
      'GET /api/tip': ok(aTip()),
    });
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(screen.getByRole('heading', { level: 1, name: "Couldn't reach oO" })).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(server.callsTo('POST /auth/refresh')).toHaveLength(3);

    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    // "Try again" went with the notice: focus moved on to the page that replaced it.
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 1, name: 'Call the dentist' }),
    );
  });

  it('asks for consent first, then sends the terms version and the browser zone once', async () => {
    const server = fakeServer({
      'GET /api/me': ok(aProfile({ consent: null, timezone: 'UTC' })),
      'PATCH /api/me': ok(aProfile()),
      'GET /api/tip': ok(aTip()),
    });
    const { user } = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Before we start' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Terms of Service' }).getAttribute('href')).toBe(
      '/legal/terms',
    );
    expect(screen.getByRole('link', { name: 'Privacy Policy' }).getAttribute('href')).toBe(
      '/legal/privacy',
    );
    expect(server.callsTo('GET /api/tip')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'I agree' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
    const patches = server.callsTo('PATCH /api/me');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.body).toEqual({
      acceptTerms: TERMS_VERSION,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    expect(patches[0]?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('asks again when the terms changed, without touching a chosen time zone', async () => {
    const server = fakeServer({
      'GET /api/me': ok(
        aProfile({
          timezone: 'Europe/Berlin',
          consent: { termsVersion: '2025-01-01', acceptedAt: '2025-01-02T00:00:00.000Z' },
        }),
      ),
      'PATCH /api/me': ok(aProfile()),
      'GET /api/tip': ok(aTip()),
    });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'I agree' }));
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    expect(server.callsTo('PATCH /api/me')[0]?.body).toEqual({ acceptTerms: TERMS_VERSION });
  });

  it('does not ask when the current terms were accepted', async () => {
    const server = fakeServer({ 'GET /api/tip': ok(aTip()) });
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    expect(screen.queryByRole('button', { name: 'I agree' })).toBeNull();
    expect(server.callsTo('PATCH /api/me')).toHaveLength(0);
  });
});
