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
//   /metrics): a tip must always come fresh, and a cached answer there would be a bug.

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

// Push display lands here with the push issue: a 'push' listener that shows the tip's title
// (self.registration.showNotification) and a 'notificationclick' listener that focuses or
// opens /?tip=<tipId>.
