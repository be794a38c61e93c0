/** Paths are resolved against this stand-in origin: leaving it means leaving the site. */
const BASE = 'https://oo.invalid';

/**
 * A path on this site, or undefined: one leading `/`, never `//` or a backslash (browsers read
 * `/\host` as `//host`), no white space or control characters (URL parsers drop them, and they
 * could hide a `//`), and still on this site once resolved. Starting with `/`, it has no scheme.
 * The one rule for every address taken from outside (`?returnTo=`, links in the legal texts).
 */
export function sitePath(raw: string | null | undefined): string | undefined {
  const url = siteUrl(raw);
  return url && url.pathname + url.search + url.hash;
}

/**
 * Where to land after signing in, as asked by `?returnTo=`: a path on this site (sitePath) but
 * never the sign-in page itself, whose own `returnTo` would nest; anything else is `/`. So the
 * sign-in page can never send anyone elsewhere.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  const url = siteUrl(raw);
  return !url || isSignInPath(url.pathname) ? '/' : url.pathname + url.search + url.hash;
}

/** The sign-in page's address that comes back to `address` afterwards. */
export function signInAddress(address: string): string {
  return `/signin?returnTo=${encodeURIComponent(safeReturnTo(address))}`;
}

/** `/signin`, also with the trailing slash the route table forgives. */
export const isSignInPath = (pathname: string): boolean =>
  pathname.replace(/\/+$/, '') === '/signin';

function siteUrl(raw: string | null | undefined): URL | undefined {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) {
    return undefined;
  }
  if (/\s/.test(raw) || [...raw].some(isControlCharacter)) return undefined;
  const url = new URL(raw, BASE);
  return url.origin === BASE ? url : undefined;
}

const isControlCharacter = (character: string): boolean => {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};
