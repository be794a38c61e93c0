import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { safeReturnTo } from '../routing/safe-return-to';
import { LIVE_REGION_DELAY_MS } from '../ui/status-message';
import { statusTexts } from '../test/live-regions';
import { renderApp } from '../test/render-app';
import { aTip, failure, fakeServer, ok } from '../test/fake-server';

describe('returnTo', () => {
  it.each([
    ['/settings', '/settings'],
    ['/connect?connected=todoist', '/connect?connected=todoist'],
    ['/?tip=abc', '/?tip=abc'],
    ['//evil.example/phish', '/'],
    ['/\\evil.example', '/'],
    ['/legal\\..\\..\\evil', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['settings', '/'],
    ['/\t/evil.example', '/'],
    ['', '/'],
    [null, '/'],
    // The sign-in page's own address would nest returnTo in returnTo.
    ['/signin', '/'],
    ['/signin/', '/'],
    ['/signin?returnTo=%2Fsettings', '/'],
  ])('%j lands on %j', (raw, expected) => {
    expect(safeReturnTo(raw)).toBe(expected);
  });
});

describe('the sign-in page', () => {
  it('offers Google with the safe returnTo, and the dev form when the server allows it', async () => {
    fakeServer({ 'GET /auth/methods': ok({ google: true, devLogin: true }) });
    renderApp('/signin?returnTo=%2Fsettings');
    expect(screen.getByRole('heading', { level: 1, name: 'oO' })).toBeTruthy();
    const google = await screen.findByRole('link', { name: 'Continue with Google' });
    expect(google.getAttribute('href')).toBe('/auth/google?returnTo=%2Fsettings');
    expect(screen.getByRole('textbox', { name: 'Email' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeTruthy();
    expect(document.title).toBe('Sign in — oO');
  });

  it('never passes on a returnTo that leaves the site', async () => {
    fakeServer({ 'GET /auth/methods': ok({ google: true, devLogin: false }) });
    renderApp('/signin?returnTo=%2F%2Fevil.example');
    const google = await screen.findByRole('link', { name: 'Continue with Google' });
    expect(google.getAttribute('href')).toBe('/auth/google?returnTo=%2F');
    expect(screen.queryByRole('button', { name: 'Sign in (development)' })).toBeNull();
  });

  it('hides Google when it is not configured', async () => {
    fakeServer({ 'GET /auth/methods': ok({ google: false, devLogin: true }) });
    renderApp('/signin');
    await screen.findByRole('button', { name: 'Sign in (development)' });
    expect(screen.queryByRole('link', { name: 'Continue with Google' })).toBeNull();
  });

  it('signs in with the dev form and goes to returnTo without a page load', async () => {
    const server = fakeServer({
      'GET /auth/methods': ok({ google: false, devLogin: true }),
      'POST /auth/dev-login': ok({
        user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
        created: true,
      }),
      'GET /api/tip': ok(aTip()),
    });
    const { user } = renderApp('/signin?returnTo=%2F%3Ftip%3Dx');
    server.answer(`GET /api/tips/x`, ok(aTip({ title: 'The one from the notification' })));
    await user.type(await screen.findByRole('textbox', { name: 'Email' }), 'ada@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ada');
    await user.click(screen.getByRole('button', { name: 'Sign in (development)' }));

    expect(
      await screen.findByRole('heading', { level: 1, name: 'The one from the notification' }),
    ).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/?tip=x');
    const [login] = server.callsTo('POST /auth/dev-login');
    expect(login?.body).toEqual({ email: 'ada@example.com', name: 'Ada' });
    expect(login?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('says why the dev sign-in failed', async () => {
    fakeServer({
      'GET /auth/methods': ok({ google: false, devLogin: true }),
      'POST /auth/dev-login': failure(
        400,
        'invalid_request',
        'email must be an email address',
        'email',
      ),
    });
    const { user } = renderApp('/signin');
    await user.type(await screen.findByRole('textbox', { name: 'Email' }), 'ada@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ada');
    await user.click(screen.getByRole('button', { name: 'Sign in (development)' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'email must be an email address',
    );
  });

  it('confirms a deleted account once its status region is in the page', async () => {
    vi.useFakeTimers();
    fakeServer({ 'GET /auth/methods': ok({ google: true, devLogin: false }) });
    renderApp('/signin?deleted=1');
    // Inserted empty: screen readers often skip what a new live region already holds.
    expect(statusTexts()).toEqual(['', '']);
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REGION_DELAY_MS));
    expect(statusTexts()).toEqual(['Your account has been deleted.', '']);
  });

  it('says "Loading…" in its own region, never in place of the deletion notice', async () => {
    vi.useFakeTimers();
    fakeServer({ 'GET /auth/methods': 'hang' });
    renderApp('/signin?deleted=1');
    await act(() => vi.advanceTimersByTimeAsync(300));
    expect(statusTexts()).toEqual(['Your account has been deleted.', 'Loading…']);
  });
});
