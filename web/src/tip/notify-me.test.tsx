import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PUSH_SERVICE_MS, WORKER_READY_MS } from '../push/push-device';
import { fakeBrowserPush, OTHER_KEY_BYTES } from '../test/fake-push';
import { statusTexts } from '../test/live-regions';
import { renderApp } from '../test/render-app';
import {
  aProfile,
  aTip,
  deferred,
  failure,
  fakeServer,
  ok,
  VAPID_KEY_BYTES,
} from '../test/fake-server';

const PUSH_CALLS = [
  'GET /api/push/vapid-public-key',
  'POST /api/push/subscriptions',
  'PATCH /api/me',
];

/** The tip page with a tip, its server answering PATCH /api/me with push on. */
function tipPageServer(routes: Parameters<typeof fakeServer>[0] = {}) {
  return fakeServer({
    'GET /api/tip': ok(aTip()),
    'PATCH /api/me': ok(aProfile({ push: { enabled: true } })),
    ...routes,
  });
}

const notifyMe = () => screen.queryByRole('button', { name: 'Notify me' });

/** Waits until the page has asked the browser whether this device is subscribed. */
async function pushChecked(push: ReturnType<typeof fakeBrowserPush>) {
  await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
  await waitFor(() => expect(push.getSubscription).toHaveBeenCalled());
}

describe('"Notify me" on the tip page', () => {
  it('asks permission, subscribes with the server key, sends the subscription as it is, then turns push on', async () => {
    const server = tipPageServer();
    const push = fakeBrowserPush();
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));

    await waitFor(() => expect(statusTexts()).toContain('Tips will come to this device.'));
    expect(notifyMe()).toBeNull();
    // Focus stays where the button was, in the spot that now says what happened.
    expect(document.activeElement?.textContent).toBe('Tips will come to this device.');

    expect(push.requestPermission).toHaveBeenCalledTimes(1);
    expect(push.subscribe).toHaveBeenCalledWith({
      userVisibleOnly: true,
      applicationServerKey: VAPID_KEY_BYTES,
    });
    expect(push.requestPermission.mock.invocationCallOrder[0]).toBeLessThan(
      push.subscribe.mock.invocationCallOrder[0]!,
    );
    const subscription = push.current();
    const [post] = server.callsTo('POST /api/push/subscriptions');
    expect(post?.body).toEqual(subscription?.toJSON());
    expect(subscription?.endpoint).toBe('https://push.example.test/send/device-1');
    expect(post?.headers['x-oo-csrf']).toBe('csrf-token-1');
    expect(server.callsTo('PATCH /api/me')[0]?.body).toEqual({ push: { enabled: true } });
    expect(
      server.calls
        .map((call) => `${call.method} ${call.path}`)
        .filter((call) => PUSH_CALLS.includes(call)),
    ).toEqual(PUSH_CALLS);
  });

  it('is not there where the browser cannot do push', async () => {
    tipPageServer();
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    expect(notifyMe()).toBeNull();
    expect(statusTexts()).toEqual(['', '']);
  });

  it('is not there when notifications are blocked', async () => {
    tipPageServer();
    const push = fakeBrowserPush({ permission: 'denied' });
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    expect(notifyMe()).toBeNull();
    expect(push.requestPermission).not.toHaveBeenCalled();
  });

  it('is not there when this device already gets tips', async () => {
    tipPageServer({ 'GET /api/me': ok(aProfile({ push: { enabled: true } })) });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/');
    await pushChecked(push);
    expect(notifyMe()).toBeNull();
  });

  it('is there when this device is subscribed but push is off for the person', async () => {
    tipPageServer();
    fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/');
    expect(await screen.findByRole('button', { name: 'Notify me' })).toBeTruthy();
  });

  it('keeps the subscription the device has with the same key', async () => {
    const server = tipPageServer();
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));
    await waitFor(() => expect(server.callsTo('PATCH /api/me')).toHaveLength(1));
    expect(push.subscribe).not.toHaveBeenCalled();
    expect(push.initial?.unsubscribe).not.toHaveBeenCalled();
    expect(server.callsTo('POST /api/push/subscriptions')[0]?.body).toEqual(push.initial?.toJSON());
  });

  it('replaces a subscription made with another key', async () => {
    const server = tipPageServer();
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: OTHER_KEY_BYTES });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));
    await waitFor(() => expect(server.callsTo('PATCH /api/me')).toHaveLength(1));
    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);
    expect(push.subscribe).toHaveBeenCalledTimes(1);
    const [post] = server.callsTo('POST /api/push/subscriptions');
    expect(post?.body).toEqual(push.current()?.toJSON());
    expect(post?.body).not.toEqual(push.initial?.toJSON());
  });

  it('says how to allow notifications when the browser refuses, and goes', async () => {
    const server = tipPageServer();
    fakeBrowserPush({ answer: 'denied' });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));
    await waitFor(() =>
      expect(statusTexts()).toContain(
        "Notifications are blocked for oO. To get tips here, allow notifications for this site in your browser's settings.",
      ),
    );
    expect(notifyMe()).toBeNull();
    expect(server.calls.filter((call) => call.path.startsWith('/api/push'))).toEqual([]);
    expect(server.callsTo('PATCH /api/me')).toEqual([]);
  });

  it('gives the button back when the question was closed unanswered', async () => {
    const server = tipPageServer();
    const push = fakeBrowserPush({ answer: 'default' });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "Couldn't turn on notifications. You didn't allow them — choose Allow when your browser asks.",
    );
    expect(notifyMe()?.hasAttribute('disabled')).toBe(false);
    expect(push.subscribe).not.toHaveBeenCalled();
    expect(server.callsTo('POST /api/push/subscriptions')).toEqual([]);
  });

  it('says what failed and can be tried again', async () => {
    const server = tipPageServer({
      'POST /api/push/subscriptions': failure(
        400,
        'invalid_request',
        'must be an https URL',
        'endpoint',
      ),
    });
    const push = fakeBrowserPush();
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "Couldn't turn on notifications. must be an https URL",
    );
    expect(server.callsTo('PATCH /api/me')).toEqual([]);

    server.answer('POST /api/push/subscriptions', {
      status: 201,
      body: { endpointHash: 'e0'.repeat(32) },
    });
    await user.click(screen.getByRole('button', { name: 'Notify me' }));
    await waitFor(() => expect(statusTexts()).toContain('Tips will come to this device.'));
    expect(screen.queryByRole('alert')).toBeNull();
    // The device's subscription from the first try is the one sent again.
    expect(push.subscribe).toHaveBeenCalledTimes(1);
    expect(server.callsTo('POST /api/push/subscriptions')).toHaveLength(2);
  });

  it(`stops waiting for a service worker after ${WORKER_READY_MS / 1000} s`, async () => {
    vi.useFakeTimers();
    const server = tipPageServer();
    fakeBrowserPush({ workerReady: false });
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(0));
    fireEvent.click(screen.getByRole('button', { name: 'Notify me' }));
    await act(() => vi.advanceTimersByTimeAsync(WORKER_READY_MS));
    expect(screen.getByRole('alert').textContent).toBe(
      "Couldn't turn on notifications. oO's service worker isn't running — reload the page and try again.",
    );
    expect(notifyMe()?.hasAttribute('disabled')).toBe(false);
    expect(server.callsTo('POST /api/push/subscriptions')).toEqual([]);
  });

  it(`stops waiting for the browser's push service after ${PUSH_SERVICE_MS / 1000} s`, async () => {
    vi.useFakeTimers();
    const server = tipPageServer();
    fakeBrowserPush({ pushServiceAnswers: false });
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(0));
    fireEvent.click(screen.getByRole('button', { name: 'Notify me' }));
    await act(() => vi.advanceTimersByTimeAsync(PUSH_SERVICE_MS - 1));
    expect(screen.queryByRole('alert')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(screen.getByRole('alert').textContent).toBe(
      "Couldn't turn on notifications. This browser's push service didn't answer. Try again later.",
    );
    expect(notifyMe()?.hasAttribute('disabled')).toBe(false);
    expect(server.callsTo('POST /api/push/subscriptions')).toEqual([]);
  });
});

describe("renewing this device's subscription on the tip page", () => {
  const PUSH_ON = ok(aProfile({ push: { enabled: true } }));

  /** Lets what the page started in the background come to an end. */
  const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

  it('replaces one made with a key the server no longer has, without asking, once the tip shows', async () => {
    const server = tipPageServer({ 'GET /api/me': PUSH_ON });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: OTHER_KEY_BYTES });
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });

    await waitFor(() => expect(server.callsTo('POST /api/push/subscriptions')).toHaveLength(1));
    expect(push.initial?.unsubscribe).toHaveBeenCalledTimes(1);
    expect(push.subscribe).toHaveBeenCalledWith({
      userVisibleOnly: true,
      applicationServerKey: VAPID_KEY_BYTES,
    });
    expect(server.callsTo('POST /api/push/subscriptions')[0]?.body).toEqual(
      push.current()?.toJSON(),
    );
    expect(push.current()).not.toBe(push.initial);
    expect(push.requestPermission).not.toHaveBeenCalled();
    expect(server.callsTo('PATCH /api/me')).toEqual([]);
    // This device gets tips again: nothing to offer.
    await waitFor(() => expect(notifyMe()).toBeNull());
  });

  it('sends one made with the current key again, once per page load', async () => {
    const server = tipPageServer({ 'GET /api/me': PUSH_ON });
    const push = fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    const { user } = renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    await waitFor(() => expect(server.callsTo('POST /api/push/subscriptions')).toHaveLength(1));
    expect(server.callsTo('POST /api/push/subscriptions')[0]?.body).toEqual(push.initial?.toJSON());
    expect(push.subscribe).not.toHaveBeenCalled();
    expect(push.initial?.unsubscribe).not.toHaveBeenCalled();
    expect(notifyMe()).toBeNull();

    // To the settings and back: the same page load, nothing sent again.
    await user.click(screen.getByRole('link', { name: 'Settings' }));
    await user.click(await screen.findByRole('link', { name: 'Back to your tip' }));
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    await settle();
    expect(server.callsTo('POST /api/push/subscriptions')).toHaveLength(1);
  });

  it('does not hold up the tip: it starts once the tip shows', async () => {
    const tipGate = deferred();
    const server = tipPageServer({
      'GET /api/me': PUSH_ON,
      'GET /api/tip': { ...ok(aTip()), after: tipGate.promise },
    });
    fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/');
    await waitFor(() => expect(server.callsTo('GET /api/tip')).toHaveLength(1));
    await settle();
    expect(server.callsTo('POST /api/push/subscriptions')).toEqual([]);

    tipGate.resolve();
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    await waitFor(() => expect(server.callsTo('POST /api/push/subscriptions')).toHaveLength(1));
  });

  it('fails quietly', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const server = tipPageServer({
      'GET /api/me': PUSH_ON,
      'POST /api/push/subscriptions': failure(503, 'unavailable', 'The notifier is not answering'),
    });
    fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    await waitFor(() => expect(warn).toHaveBeenCalledTimes(1));
    expect(server.callsTo('POST /api/push/subscriptions')).toHaveLength(1);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(notifyMe()).toBeNull();
  });

  it.each<[string, boolean, NotificationPermission]>([
    ['push is off for the person', false, 'granted'],
    ['notifications are not allowed (any more)', true, 'default'],
  ])('leaves the subscription alone when %s', async (_, enabled, permission) => {
    const server = tipPageServer({ 'GET /api/me': ok(aProfile({ push: { enabled } })) });
    const push = fakeBrowserPush({ permission, subscribedWith: OTHER_KEY_BYTES });
    renderApp('/');
    expect(await screen.findByRole('button', { name: 'Notify me' })).toBeTruthy();
    await settle();
    expect(server.callsTo('POST /api/push/subscriptions')).toEqual([]);
    expect(push.initial?.unsubscribe).not.toHaveBeenCalled();
    expect(push.subscribe).not.toHaveBeenCalled();
  });
});
