import { parseCookies } from '@oo/sessions';

/** The cookies a response sets, by name (value '' for a deleted one). */
export function cookiesSetBy(response: Response): Map<string, string> {
  return parseCookies(
    response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; '),
  );
}

/** A Cookie request header carrying all of them. */
export function cookieHeader(cookies: ReadonlyMap<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
