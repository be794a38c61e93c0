/**
 * The session cookies (ARCHITECTURE.md §4). In production the `__Host-` prefix makes the browser
 * refuse them unless Secure, host-only and Path=/, so no subdomain can plant or read them.
 */
export interface CookieNames {
  session: string;
  refresh: string;
  /** Readable by the SPA, which echoes it in `X-OO-CSRF` (double submit). */
  csrf: string;
}

export function cookieNames(production: boolean): CookieNames {
  const prefix = production ? '__Host-' : '';
  return {
    session: `${prefix}oo_session`,
    refresh: `${prefix}oo_refresh`,
    csrf: `${prefix}oo_csrf`,
  };
}

export interface CookieOptions {
  maxAgeSeconds: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
}

const TOKEN = /^[A-Za-z0-9._~+/=-]*$/;

/** One Set-Cookie value. Values are tokens we minted: anything else is a bug, so it throws. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!TOKEN.test(value)) throw new Error(`cookie ${name} has a value that needs encoding`);
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
    `SameSite=${options.sameSite}`,
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** A Set-Cookie that deletes the cookie. */
export function expiredCookie(name: string, secure: boolean): string {
  return `${name}=; Path=/; Max-Age=0; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Cookies of a request; the first of a repeated name wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
