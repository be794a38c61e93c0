import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FORGET_DEVICE_MS } from '../push/push-device';
import { fakeBrowserPush } from '../test/fake-push';
import { renderApp } from '../test/render-app';
import {
  aProfile,
  failure,
  fakeServer,
  ok,
  VAPID_KEY_BYTES,
  type Reply,
} from '../test/fake-server';

const SIGN_OUT_ROUTES = {
  'GET /api/me': ok(aProfile({ push: { enabled: true } })),
  'POST /auth/logout': { status: 204 },
  'GET /auth/methods': ok({ google: true, devLogin: false }),
};

describe('the settings page', () => {
  it('shows the account from the session and the current settings', async () => {
    fakeServer({});
    renderApp('/settings');
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Time zone' }).value).toBe(
      'Europe/Berlin',
    );
    expect(screen.getByLabelText<HTMLInputElement>('Quiet hours start').value).toBe('22:00');
    expect(screen.getByLabelText<HTMLInputElement>('Quiet hours end').value).toBe('07:00');
    expect(screen.getByRole('link', { name: 'Back to your tip' }).getAttribute('href')).toBe('/');
    expect(document.title).toBe('Settings — oO');
  });

  it('saves only what changed and says so', async () => {
    const server = fakeServer({
      'PATCH /api/me': ok(
        aProfile({ timezone: 'Asia/Tokyo', quietHours: { start: '21:30', end: '07:00' } }),
      ),
    });
    const { user } = renderApp('/settings');
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Time zone' }),
      'Asia/Tokyo',
    );
    const start = screen.getByLabelText('Quiet hours start');
    await user.clear(start);
    await user.type(start, '21:30');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Saved.')).toBeTruthy();
    const [patch] = server.callsTo('PATCH /api/me');
    expect(patch?.body).toEqual({
      timezone: 'Asia/Tokyo',
      quietHours: { start: '21:30', end: '07:00' },
    });
    expect(patch?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('names the field a 400 is about', async () => {
    fakeServer({
      'PATCH /api/me': failure(400, 'invalid_request', 'must match HH:MM', 'quietHours.start'),
    });
    const { user } = renderApp('/settings');
    const end = await screen.findByLabelText('Quiet hours end');
    await user.clear(end);
    await user.type(end, '06:00');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Quiet hours start: must match HH:MM',
    );
    expect(screen.getByLabelText('Quiet hours start').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('signs out and goes to the sign-in page', async () => {
    const server = fakeServer({
      'POST /auth/logout': { status: 204 },
      'GET /auth/methods': ok({ google: true, devLogin: false }),
    });
    const { user } = renderApp('/settings');
    const entries = window.history.length;
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('link', { name: 'Continue with Google' })).toBeTruthy();
    expect(window.location.pathname).toBe('/signin');
    // In place of /settings: Back does not return to a signed-in page.
    expect(window.history.length).toBe(entries);
    expect(server.callsTo('POST /auth/logout')[0]?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('first stops the tips to this browser, on the server and in the browser, when signing out', async () => {
    const server = fakeServer(SIGN_OUT_ROUTES);
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('link', { name: 'Continue with Google' })).toBeTruthy();

    expect(server.callsTo('DELETE /api/push/subscriptions')[0]?.body).toEqual({
      endpoint: push.initial?.endpoint,
    });
    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);
    expect(push.current()).toBeNull();
    // While the session still lets the server be told.
    expect(
      server.calls
        .filter((call) => call.method !== 'GET')
        .map((call) => `${call.method} ${call.path}`),
    ).toEqual(['DELETE /api/push/subscriptions', 'POST /auth/logout']);
  });

  it.each<[string, Reply]>([
    ['fails', failure(503, 'unavailable', 'The notifier is not answering')],
    ['cannot be reached', 'network-down'],
  ])('signs out all the same when telling the server about this browser %s', async (_, reply) => {
    const server = fakeServer({ ...SIGN_OUT_ROUTES, 'DELETE /api/push/subscriptions': reply });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('link', { name: 'Continue with Google' })).toBeTruthy();
    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);
    expect(server.callsTo('POST /auth/logout')).toHaveLength(1);
  });

  it(`waits at most ${FORGET_DEVICE_MS / 1000} s for the server to forget this browser before signing out`, async () => {
    vi.useFakeTimers();
    const server = fakeServer({ ...SIGN_OUT_ROUTES, 'DELETE /api/push/subscriptions': 'hang' });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/settings');
    await act(() => vi.advanceTimersByTimeAsync(0));
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await act(() => vi.advanceTimersByTimeAsync(FORGET_DEVICE_MS - 1));
    expect(server.callsTo('POST /auth/logout')).toEqual([]);
    // The browser side does not wait for the server.
    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);

    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(server.callsTo('POST /auth/logout')).toHaveLength(1);
    expect(window.location.pathname).toBe('/signin');
  });

  it('deletes the account only after the dialog, signs out, then confirms on the sign-in page', async () => {
    const server = fakeServer({
      'DELETE /api/me': { status: 202, body: { userId: 'u1', deletionId: 'd1' } },
      'POST /auth/logout': { status: 204 },
      'GET /auth/methods': ok({ google: true, devLogin: false }),
    });
    const { user } = renderApp('/settings');
    const deleteButton = await screen.findByRole('button', { name: 'Delete account' });
    await user.click(deleteButton);

    const dialog = screen.getByRole('alertdialog', { name: 'Delete your account?' });
    for (const goes of [
      /your account and sign-in/,
      /your settings/,
      /your Todoist connection/,
      /every tip and reaction/,
      /what oO learned about you/,
    ]) {
      expect(within(dialog).getByText(goes)).toBeTruthy();
    }
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(deleteButton);
    expect(server.callsTo('DELETE /api/me')).toHaveLength(0);

    await user.click(deleteButton);
    const entries = window.history.length;
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(await screen.findByText('Your account has been deleted.')).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/signin?deleted=1');
    // In place of /settings: Back does not return to the settings of a deleted account.
    expect(window.history.length).toBe(entries);
    expect(server.callsTo('DELETE /api/me')[0]?.headers['x-oo-csrf']).toBe('csrf-token-1');
    // The session ends with the account, after the deletion was accepted.
    expect(
      server.calls
        .filter((call) => call.method !== 'GET')
        .map((call) => `${call.method} ${call.path}`),
    ).toEqual(['DELETE /api/me', 'POST /auth/logout']);
    expect(server.callsTo('POST /auth/logout')[0]?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('stops the tips to this browser once the account is deleted, leaving the server side to the deletion', async () => {
    const server = fakeServer({
      ...SIGN_OUT_ROUTES,
      'DELETE /api/me': { status: 202, body: { userId: 'u1', deletionId: 'd1' } },
    });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Delete account' }));
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(await screen.findByText('Your account has been deleted.')).toBeTruthy();

    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);
    expect(push.current()).toBeNull();
    expect(
      server.calls
        .filter((call) => call.method !== 'GET')
        .map((call) => `${call.method} ${call.path}`),
    ).toEqual(['DELETE /api/me', 'POST /auth/logout']);
  });

  it('still confirms the deletion when signing out afterwards fails', async () => {
    fakeServer({
      'DELETE /api/me': { status: 202, body: { userId: 'u1', deletionId: 'd1' } },
      'POST /auth/logout': 'network-down',
      'GET /auth/methods': ok({ google: true, devLogin: false }),
    });
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Delete account' }));
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(await screen.findByText('Your account has been deleted.')).toBeTruthy();
  });
});
