/**
 * Where to land after signing in, as asked by `?returnTo=`: only a path on this site. `//host`,
 * `/\host` (which browsers read as `//host`), schemes and anything not starting with one `/`
 * become `/`, so the sign-in page can never send anyone elsewhere.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  // Control characters and white space are stripped by URL parsers, and could hide a `//`.
  if (/\s/.test(raw) || [...raw].some(isControlCharacter)) return '/';
  const base = 'https://oo.invalid';
  const url = new URL(raw, base);
  return url.origin === base ? url.pathname + url.search + url.hash : '/';
}

/** The sign-in page's address that comes back to `address` afterwards. */
export function signInAddress(address: string): string {
  return `/signin?returnTo=${encodeURIComponent(safeReturnTo(address))}`;
}

const isControlCharacter = (character: string): boolean => {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};
