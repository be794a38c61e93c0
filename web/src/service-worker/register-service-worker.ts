/**
 * Installs the worker web/build/service-worker-plugin.ts emits (the offline shell, and the
 * notifications of pushed tips). After the page has loaded, so precaching never competes with
 * the first tip for the network. Push subscriptions are made on this registration
 * (src/push/push-device.ts).
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
