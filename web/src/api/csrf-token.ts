/**
 * The `oo_csrf` cookie's value, which every mutation echoes in `X-OO-CSRF` (double submit). In
 * production the cookie carries the `__Host-` prefix.
 */
export function readCsrfToken(cookies: string = document.cookie): string | undefined {
  for (const pair of cookies.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1) continue;
    const name = pair.slice(0, separator).trim();
    if (name === 'oo_csrf' || name === '__Host-oo_csrf') return pair.slice(separator + 1).trim();
  }
  return undefined;
}
