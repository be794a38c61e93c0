import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../test/render-app';
import { aProfile, aTip, deferred, fakeServer, noContent, ok, todoist } from '../test/fake-server';

const heading = (name: string) => screen.findByRole('heading', { level: 1, name });

describe('focus after moving to another page without a page load', () => {
  it('is left alone on the first page, as after a page load', async () => {
    fakeServer({});
    renderApp('/settings');
    await heading('Settings');
    expect(document.activeElement).toBe(document.body);
  });

  it('lands on the heading of the page returned to after signing in', async () => {
    fakeServer({
      'GET /auth/methods': ok({ google: false, devLogin: true }),
      'POST /auth/dev-login': ok({ user: { id: 'u1' }, created: false }),
    });
    const { user } = renderApp('/signin?returnTo=%2Fsettings');
    await user.type(await screen.findByRole('textbox', { name: 'Email' }), 'ada@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ada');
    await user.click(screen.getByRole('button', { name: 'Sign in (development)' }));
    // The session check in between shows no heading; the page's own takes the focus.
    expect(document.activeElement).toBe(await heading('Settings'));
  });

  it("lands on the tip's title, not on the loading heading it replaces", async () => {
    const tip = deferred();
    fakeServer({ 'GET /api/tip': { ...ok(aTip()), after: tip.promise } });
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('link', { name: 'Back to your tip' }));
    // A stand-in while the tip loads: focus there would be read out, then lost.
    expect(screen.getByRole('heading', { level: 1, name: 'oO' })).not.toBe(document.activeElement);
    await act(async () => tip.resolve());
    expect(document.activeElement).toBe(await heading('Call the dentist'));
  });

  it('passes on to the heading that replaces a focused one ("Reading your tasks…", then the tip)', async () => {
    vi.useFakeTimers();
    fakeServer({
      'GET /api/tip': [noContent, ok(aTip())],
      'GET /api/integrations': ok([todoist('syncing')]),
    });
    renderApp('/settings');
    await act(() => vi.advanceTimersByTimeAsync(0));
    fireEvent.click(screen.getByRole('link', { name: 'Back to your tip' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 1, name: 'Reading your tasks…' }),
    );
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { level: 1, name: 'Call the dentist' }),
    );
  });

  it('lands on the heading after Back, too', async () => {
    fakeServer({ 'GET /api/tip': ok(aTip()) });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('link', { name: 'Settings' }));
    expect(document.activeElement).toBe(await heading('Settings'));
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    });
    expect(document.activeElement).toBe(await heading('Call the dentist'));
  });

  it("lands on the route's heading once the consent step gives way to it", async () => {
    fakeServer({
      'GET /api/me': ok(aProfile({ consent: null })),
      'PATCH /api/me': ok(aProfile()),
    });
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'I agree' }));
    expect(document.activeElement).toBe(await heading('Settings'));
  });

  it('does not take the focus back on a later render of the same page', async () => {
    fakeServer({ 'GET /api/tip': ok(aTip()) });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('link', { name: 'Settings' }));
    await heading('Settings');
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    await user.selectOptions(zone, 'Asia/Tokyo');
    expect(document.activeElement).toBe(zone);
  });
});
