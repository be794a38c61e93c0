import { cookieHeader, cookiesSetBy } from './cookies.js';

export interface SignedIn {
  userId: string;
  cookies: Map<string, string>;
  /** The Cookie header with every session cookie. */
  cookie: string;
  /** What a browser page of the app sends on a mutation: cookies, Origin and X-OO-CSRF. */
  mutationHeaders: Record<string, string>;
}

/** Signs in through the gateway's proxied `POST /auth/dev-login`, as the SPA would. */
export async function devSignIn(base: string, origin: string, email: string): Promise<SignedIn> {
  const response = await fetch(`${base}/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, name: email.split('@')[0] }),
  });
  if (response.status !== 200) throw new Error(`dev-login answered ${response.status}`);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookies = cookiesSetBy(response);
  const cookie = cookieHeader(cookies);
  return {
    userId: user.id,
    cookies,
    cookie,
    mutationHeaders: { cookie, origin, 'x-oo-csrf': cookies.get('oo_csrf') ?? '' },
  };
}
