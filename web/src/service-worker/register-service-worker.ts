/**
 * Installs the worker web/build/service-worker-plugin.ts emits (the offline shell). After the
 * page has loaded, so precaching never competes with the first tip for the network. Push
 * subscription will start from this registration (a later issue).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      // The app works without it; only offline start and caching are lost.
      console.warn('oO: service worker not registered', error);
    });
  });
}
