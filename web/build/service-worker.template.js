// oO's service worker. Built by web/build/service-worker-plugin.ts, which replaces the three
// placeholders below with the build's version, the list of files it produced and the server's
// path prefixes (web/build/server-paths.ts).
//
// What it does, and why:
// - precaches the app shell (index.html, the hashed assets, the manifest and icons) so the app
//   opens offline and starts fast;
// - serves /assets/* cache-first: their names are content hashes, so a cached copy is never stale;
// - answers page navigations network-first, falling back to the cached index.html;
// - never touches the API or the platform (/api, /auth, /integrations, /webhooks, /health,
//   /metrics): a tip must always come fresh, and a cached answer there would be a bug;
// - shows a pushed tip as a notification, and opens the app at that tip when it is clicked;
// - subscribes again when the browser dropped the subscription, and leaves telling the server to
//   the next page load.

const VERSION = __OO_VERSION__;
const PRECACHE = __OO_PRECACHE__;
const SERVER_PREFIXES = __OO_SERVER_PREFIXES__;

const CACHE = `oo-shell-${VERSION}`;
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('oo-shell-') && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SERVER_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

async function networkFirstPage(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const shell = await caches.match(SHELL);
    if (shell) return shell;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    // Best effort: a full disk must not fail the page's request.
    caches
      .open(CACHE)
      .then((cache) => cache.put(request, copy))
      .catch(() => undefined);
  }
  return response;
}

// Push. The notifier sends {"v":1,"tipId","title","body"?,"url":"/?tip=<tipId>"} (the browser
// has decrypted it by now). Whatever arrives, something is shown: a browser may revoke the
// subscription of a worker that receives a push and shows nothing (userVisibleOnly).

// The tag the browser tests look for (web/docs/ui-contract.md): a newer tip replaces the one
// still showing, without sounding again.
const NOTIFICATION_TAG = 'oo-tip';
const NOTIFICATION_ICON = '/icons/icon-192.png';
const GENERIC_TITLE = 'oO has a tip for you';

self.addEventListener('push', (event) => {
  const tip = tipOf(event.data);
  event.waitUntil(
    self.registration.showNotification(tip.title, {
      body: tip.body,
      tag: NOTIFICATION_TAG,
      renotify: false,
      icon: NOTIFICATION_ICON,
      data: { url: tip.url, tipId: tip.tipId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data;
  event.waitUntil(openApp(appPath(data && data.url)));
});

// The browser replaced or dropped this device's subscription (it expired, say). The worker
// never calls the API: that needs the CSRF header, which only a page can send (the oo_csrf
// cookie). It only makes sure a subscription exists again, with the same key; the next page
// load sends the device's subscription to the server (renewThisDevice in
// src/push/push-device.ts, which also replaces one made with an old key).
self.addEventListener('pushsubscriptionchange', (event) => {
  if (event.newSubscription || !event.oldSubscription) return;
  event.waitUntil(
    self.registration.pushManager
      .subscribe(event.oldSubscription.options)
      // Not allowed any more, say: the next page load offers push again.
      .catch(() => undefined),
  );
});

/** The payload's tip, read defensively: anything unreadable is the generic notification. */
function tipOf(data) {
  let payload;
  try {
    payload = data ? data.json() : undefined;
  } catch {
    payload = undefined;
  }
  if (
    !payload ||
    typeof payload !== 'object' ||
    typeof payload.title !== 'string' ||
    !payload.title
  ) {
    return { title: GENERIC_TITLE, body: undefined, url: '/', tipId: undefined };
  }
  return {
    title: payload.title,
    body: typeof payload.body === 'string' ? payload.body : undefined,
    url: appPath(payload.url),
    tipId: typeof payload.tipId === 'string' ? payload.tipId : undefined,
  };
}

/**
 * A path of this app to open: only a relative one starting with `/` that stays on this origin
 * once resolved (`//host`, `/\host` and the like do not); anything else is `/`.
 */
function appPath(url) {
  if (typeof url !== 'string' || !url.startsWith('/')) return '/';
  const resolved = new URL(url, self.location.origin);
  if (resolved.origin !== self.location.origin) return '/';
  return resolved.pathname + resolved.search + resolved.hash;
}

/**
 * Shows `path` in a window of the app: an open one this worker controls (navigate() works only
 * for those) is brought forward, then navigated; with none, a new window opens. Focus comes
 * first: the click's leave to bring a window forward does not last.
 */
async function openApp(path) {
  const url = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window' });
  const open = windows.find((client) => client.focused) || windows[0];
  if (!open) return self.clients.openWindow(url);
  try {
    const focused = await open.focus();
    await focused.navigate(url);
  } catch {
    await self.clients.openWindow(url);
  }
}
