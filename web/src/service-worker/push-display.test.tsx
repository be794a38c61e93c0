// @vitest-environment node
// The worker as the build emits it, run in a context of its own with a fake `self`: what a push
// shows, where a click on it leads, and what a replaced subscription leads to.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { serviceWorkerSource } from '../../build/service-worker-plugin';

const ORIGIN = 'https://oo.example';
const TIP_ID = '0193a5f0-0000-7000-8000-000000000001';

interface FakeWindow {
  url: string;
  focused: boolean;
  focus: () => Promise<FakeWindow>;
  navigate: (url: string) => Promise<FakeWindow | null>;
}

type Listener = (event: unknown) => void;

/** Runs the worker; `windows` are the app's open windows this worker controls. */
function startWorker(windows: FakeWindow[] = []) {
  const listeners = new Map<string, Listener>();
  const showNotification = vi.fn(async (_title: string, _options: unknown) => undefined);
  const matchAll = vi.fn(async () => windows);
  const openWindow = vi.fn(async (_url: string) => null);
  const subscribe = vi.fn(async (_options: unknown) => ({}));
  const fetch = vi.fn();
  runInNewContext(serviceWorkerSource('v1', ['index.html']), {
    URL,
    fetch,
    self: {
      location: new URL(`${ORIGIN}/sw.js`),
      addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
      registration: { showNotification, pushManager: { subscribe } },
      clients: { matchAll, openWindow },
    },
  });

  /** Dispatches an event and waits for what it asked to wait for. */
  async function dispatch(type: string, event: object) {
    const waited: Promise<unknown>[] = [];
    listeners.get(type)!({
      ...event,
      waitUntil: (promise: Promise<unknown>) => waited.push(promise),
    });
    await Promise.all(waited);
  }

  return {
    showNotification,
    matchAll,
    openWindow,
    subscribe,
    fetch,
    /** The browser replaced (or dropped, when `newSubscription` is null) the subscription. */
    subscriptionChange: (event: { oldSubscription: unknown; newSubscription: unknown }) =>
      dispatch('pushsubscriptionchange', event),
    /** A push whose payload is this text (null: a push without a payload). */
    push: (text: string | null) =>
      dispatch('push', {
        data: text === null ? null : { json: () => JSON.parse(text) as unknown },
      }),
    /** A click on a notification carrying `data`; resolves with its close(). */
    click: async (data: unknown) => {
      const close = vi.fn();
      await dispatch('notificationclick', { notification: { data, close } });
      return close;
    },
  };
}

function aWindow(url: string, focused = false): FakeWindow {
  const window: FakeWindow = {
    url,
    focused,
    focus: vi.fn(async () => window),
    navigate: vi.fn(async () => window),
  };
  return window;
}

describe('the service worker, on a push', () => {
  it("shows the tip's title and detail, tagged, opening the tip", async () => {
    const worker = startWorker();
    await worker.push(
      JSON.stringify({
        v: 1,
        tipId: TIP_ID,
        title: 'Call the dentist',
        body: 'Due today',
        url: `/?tip=${TIP_ID}`,
      }),
    );
    expect(worker.showNotification).toHaveBeenCalledWith('Call the dentist', {
      body: 'Due today',
      tag: 'oo-tip',
      renotify: false,
      icon: '/icons/icon-192.png',
      data: { url: `/?tip=${TIP_ID}`, tipId: TIP_ID },
    });
  });

  it('shows the tip without a detail when there is none', async () => {
    const worker = startWorker();
    await worker.push(JSON.stringify({ v: 1, tipId: TIP_ID, title: 'Pay rent', url: '/' }));
    expect(worker.showNotification.mock.calls[0]?.[1]).toMatchObject({ body: undefined });
  });

  it.each([
    ['no payload', null],
    ['not JSON', 'a tip!'],
    ['JSON without a title', JSON.stringify({ v: 1, tipId: TIP_ID, url: '/' })],
    ['a title that is not text', JSON.stringify({ title: 42, url: '/' })],
    ['an empty title', JSON.stringify({ title: '', url: '/' })],
    ['JSON that is not an object', JSON.stringify('Call the dentist')],
    ['null', 'null'],
  ])('shows a generic notification opening / for %s', async (_case, payload) => {
    const worker = startWorker();
    await worker.push(payload);
    expect(worker.showNotification).toHaveBeenCalledWith('oO has a tip for you', {
      body: undefined,
      tag: 'oo-tip',
      renotify: false,
      icon: '/icons/icon-192.png',
      data: { url: '/', tipId: undefined },
    });
  });

  it.each([
    ['another origin', 'https://evil.example/?tip=1'],
    ['a protocol-relative address', '//evil.example/?tip=1'],
    ['a backslash that browsers read as a slash', '/\\evil.example/'],
    ['a tab the URL parser drops', '/\t/evil.example/'],
    ['a script', 'javascript:alert(1)'],
    ['a relative path without its slash', '?tip=1'],
    ['no text', 42],
  ])('opens / rather than %s', async (_case, url) => {
    const worker = startWorker();
    await worker.push(JSON.stringify({ v: 1, tipId: TIP_ID, title: 'Pay rent', url }));
    expect(worker.showNotification.mock.calls[0]?.[1]).toMatchObject({
      data: { url: '/', tipId: TIP_ID },
    });
  });

  it("uses an icon of the app's manifest", () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../public/manifest.webmanifest', import.meta.url), 'utf8'),
    ) as { icons: { src: string }[] };
    expect(manifest.icons.map((icon) => icon.src)).toContain('/icons/icon-192.png');
  });
});

describe('the service worker, on a click on its notification', () => {
  it('closes it, brings an open window of the app forward and navigates it to the tip', async () => {
    const other = aWindow(`${ORIGIN}/settings`);
    const current = aWindow(`${ORIGIN}/`, true);
    const worker = startWorker([other, current]);
    const close = await worker.click({ url: `/?tip=${TIP_ID}`, tipId: TIP_ID });

    expect(close).toHaveBeenCalled();
    expect(worker.matchAll).toHaveBeenCalledWith({ type: 'window' });
    expect(current.focus).toHaveBeenCalled();
    expect(current.navigate).toHaveBeenCalledWith(`${ORIGIN}/?tip=${TIP_ID}`);
    expect(other.navigate).not.toHaveBeenCalled();
    expect(worker.openWindow).not.toHaveBeenCalled();
  });

  it('opens a new window when none of the app is open', async () => {
    const worker = startWorker();
    await worker.click({ url: `/?tip=${TIP_ID}`, tipId: TIP_ID });
    expect(worker.openWindow).toHaveBeenCalledWith(`${ORIGIN}/?tip=${TIP_ID}`);
  });

  it('opens a new window when the open one cannot be navigated', async () => {
    const open = aWindow(`${ORIGIN}/`);
    open.navigate = vi.fn(() => Promise.reject(new TypeError('not controlled')));
    const worker = startWorker([open]);
    await worker.click({ url: '/', tipId: undefined });
    expect(worker.openWindow).toHaveBeenCalledWith(`${ORIGIN}/`);
  });

  it('opens / for a notification whose address is not the app', async () => {
    const worker = startWorker();
    await worker.click({ url: 'https://evil.example/' });
    await worker.click(null);
    expect(worker.openWindow.mock.calls).toEqual([[`${ORIGIN}/`], [`${ORIGIN}/`]]);
  });
});

describe('the service worker, when the browser changes the subscription', () => {
  const options = { userVisibleOnly: true, applicationServerKey: new ArrayBuffer(65) };

  it('subscribes again with the same key when the browser dropped it, calling no API', async () => {
    const worker = startWorker();
    await worker.subscriptionChange({ oldSubscription: { options }, newSubscription: null });
    expect(worker.subscribe).toHaveBeenCalledWith(options);
    // Sending it is the next page load's (no CSRF header here).
    expect(worker.fetch).not.toHaveBeenCalled();
  });

  it('leaves a subscription the browser made in its place to the next page load', async () => {
    const worker = startWorker();
    await worker.subscriptionChange({ oldSubscription: { options }, newSubscription: {} });
    expect(worker.subscribe).not.toHaveBeenCalled();
    expect(worker.fetch).not.toHaveBeenCalled();
  });

  it('gives up quietly when it may not subscribe any more', async () => {
    const worker = startWorker();
    worker.subscribe.mockRejectedValueOnce(new DOMException('denied', 'NotAllowedError'));
    await worker.subscriptionChange({ oldSubscription: { options }, newSubscription: null });
    expect(worker.subscribe).toHaveBeenCalledTimes(1);
  });
});
