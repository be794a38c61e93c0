import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeBrowserPush, OTHER_KEY_BYTES } from '../test/fake-push';
import { renderApp } from '../test/render-app';
import { aProfile, failure, fakeServer, ok, VAPID_KEY_BYTES } from '../test/fake-server';

const PUSH_ON = ok(aProfile({ push: { enabled: true } }));

async function notificationsSection() {
  const heading = await screen.findByRole('heading', { level: 2, name: 'Notifications' });
  return within(heading.closest('section')!);
}

const theSwitch = () => screen.getByRole('switch', { name: 'Send tips to this device' });

describe('notifications in the settings', () => {
  it('says the browser cannot do push instead of offering a switch, and mentions quiet hours', async () => {
    fakeServer({});
    renderApp('/settings');
    const section = await notificationsSection();
    expect(
      section.getByText(
        "This browser can't show oO's notifications. On iPhone or iPad, add oO to your Home Screen first.",
      ),
    ).toBeTruthy();
    expect(section.getByText(/never during your quiet hours/)).toBeTruthy();
    expect(screen.queryByRole('switch')).toBeNull();
  });

  it('says notifications are blocked, and how to allow them, instead of offering a switch', async () => {
    fakeServer({});
    fakeBrowserPush({ permission: 'denied' });
    renderApp('/settings');
    const section = await notificationsSection();
    expect(
      section.getByText(
        "Notifications are blocked for oO. To get tips here, allow notifications for this site in your browser's settings.",
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('switch')).toBeNull();
  });

  it('is on when this device is subscribed and push is on', async () => {
    fakeServer({ 'GET /api/me': PUSH_ON });
    fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/settings');
    await waitFor(() => expect(theSwitch().getAttribute('aria-checked')).toBe('true'));
  });

  it('is off for this device when push is on for another one', async () => {
    fakeServer({ 'GET /api/me': PUSH_ON });
    const push = fakeBrowserPush({ permission: 'granted' });
    renderApp('/settings');
    await waitFor(() => expect(push.getSubscription).toHaveBeenCalled());
    await waitFor(() => expect(theSwitch().hasAttribute('disabled')).toBe(false));
    expect(theSwitch().getAttribute('aria-checked')).toBe('false');
  });

  it("is off when this device's subscription was made with a key the server no longer has", async () => {
    const server = fakeServer({ 'GET /api/me': PUSH_ON });
    fakeBrowserPush({ permission: 'granted', subscribedWith: OTHER_KEY_BYTES });
    renderApp('/settings');
    await waitFor(() => expect(theSwitch().hasAttribute('disabled')).toBe(false));
    expect(theSwitch().getAttribute('aria-checked')).toBe('false');
    expect(server.callsTo('GET /api/push/vapid-public-key')).toHaveLength(1);
  });

  it('turning it on asks, subscribes this device, sends it and turns push on', async () => {
    const server = fakeServer({ 'PATCH /api/me': PUSH_ON });
    const push = fakeBrowserPush();
    const { user } = renderApp('/settings');
    await waitFor(() => expect(theSwitch().hasAttribute('disabled')).toBe(false));
    expect(theSwitch().getAttribute('aria-checked')).toBe('false');
    await user.click(theSwitch());

    expect(await screen.findByText('Tips will come to this device.')).toBeTruthy();
    expect(theSwitch().getAttribute('aria-checked')).toBe('true');
    expect(push.requestPermission).toHaveBeenCalledTimes(1);
    expect(server.callsTo('POST /api/push/subscriptions')[0]?.body).toEqual(
      push.current()?.toJSON(),
    );
    expect(server.callsTo('PATCH /api/me')[0]?.body).toEqual({ push: { enabled: true } });
  });

  it("turning it off forgets this device on the server and unsubscribes it, leaving push on for the person's other devices", async () => {
    const server = fakeServer({ 'GET /api/me': PUSH_ON, 'PATCH /api/me': PUSH_ON });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/settings');
    await waitFor(() => expect(theSwitch().getAttribute('aria-checked')).toBe('true'));
    await user.click(theSwitch());

    expect(await screen.findByText('Tips will no longer come to this device.')).toBeTruthy();
    expect(theSwitch().getAttribute('aria-checked')).toBe('false');
    const [deletion] = server.callsTo('DELETE /api/push/subscriptions');
    expect(deletion?.body).toEqual({ endpoint: push.initial?.endpoint });
    expect(deletion?.headers['x-oo-csrf']).toBe('csrf-token-1');
    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);
    expect(push.current()).toBeNull();
    // No PATCH of push.enabled: that would stop the tips to every device.
    expect(
      server.calls
        .filter((call) => call.method !== 'GET')
        .map((call) => `${call.method} ${call.path}`),
    ).toEqual(['DELETE /api/push/subscriptions']);

    // On again: this device subscribes anew.
    await user.click(theSwitch());
    expect(await screen.findByText('Tips will come to this device.')).toBeTruthy();
    expect(theSwitch().getAttribute('aria-checked')).toBe('true');
    expect(server.callsTo('POST /api/push/subscriptions')[0]?.body).toEqual(
      push.current()?.toJSON(),
    );
  });

  it('stays on, subscribed, and says why when turning it off fails', async () => {
    const server = fakeServer({
      'GET /api/me': PUSH_ON,
      'DELETE /api/push/subscriptions': failure(
        503,
        'unavailable',
        'The notifier is not answering',
      ),
    });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/settings');
    await waitFor(() => expect(theSwitch().getAttribute('aria-checked')).toBe('true'));
    await user.click(theSwitch());

    expect((await screen.findByRole('alert')).textContent).toBe(
      "Couldn't turn off notifications. The notifier is not answering",
    );
    expect(theSwitch().getAttribute('aria-checked')).toBe('true');
    expect(theSwitch().hasAttribute('disabled')).toBe(false);
    expect(push.initial?.unsubscribe).not.toHaveBeenCalled();
    expect(server.callsTo('PATCH /api/me')).toEqual([]);
  });

  it('says notifications are blocked when the browser refuses at the question', async () => {
    const server = fakeServer({});
    fakeBrowserPush({ answer: 'denied' });
    const { user } = renderApp('/settings');
    await waitFor(() => expect(theSwitch().hasAttribute('disabled')).toBe(false));
    await user.click(theSwitch());

    const section = await notificationsSection();
    expect(await section.findByText(/^Notifications are blocked for oO\./)).toBeTruthy();
    expect(screen.queryByRole('switch')).toBeNull();
    // Focus stays in the section, on what replaced the switch.
    expect(document.activeElement?.textContent).toMatch(/^Notifications are blocked/);
    expect(server.calls.filter((call) => call.method !== 'GET')).toEqual([]);
  });
});
