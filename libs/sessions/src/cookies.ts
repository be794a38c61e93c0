import { parseCookie, stringifySetCookie } from 'cookie';

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

/**
 * Our cookie values are tokens we minted (base64url, JWTs) and travel as they are: never
 * percent-encoded on the way out nor decoded on the way in. A value that would need encoding
 * is a bug, and `cookie` throws on it.
 */
const asIs = (value: string): string => value;

/** One Set-Cookie value, always for the whole site (Path=/). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return stringifySetCookie(
    {
      name,
      value,
      path: '/',
      maxAge: options.maxAgeSeconds,
      sameSite: options.sameSite === 'Strict' ? 'strict' : 'lax',
      httpOnly: options.httpOnly,
      secure: options.secure,
    },
    { encode: asIs },
  );
}

/** A Set-Cookie that deletes the cookie. */
export function expiredCookie(name: string, secure: boolean): string {
  return serializeCookie(name, '', { maxAgeSeconds: 0, httpOnly: false, secure, sameSite: 'Lax' });
}

/** Cookies of a request; the first of a repeated name wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = Object.entries(parseCookie(header ?? '', { decode: asIs }));
  return new Map(cookies.filter((entry): entry is [string, string] => entry[1] !== undefined));
}
