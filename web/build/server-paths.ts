/**
 * Address prefixes the gateway answers itself (the API, sign-in, OAuth, webhooks, probes) and
 * never the app: the service worker leaves them to the network, and the dev server proxies them
 * to the gateway. The one list of them in web/.
 */
export const SERVER_PATH_PREFIXES: readonly string[] = [
  '/api/',
  '/auth/',
  '/integrations/',
  '/webhooks/',
  '/health',
  '/metrics',
];
