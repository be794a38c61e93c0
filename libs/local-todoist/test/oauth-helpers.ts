import type { LocalTodoist } from '../src/index.js';

type Endpoints = Pick<LocalTodoist, 'oauthUrl' | 'apiUrl'>;

export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9/integrations/todoist/callback';

/** What the browser does: open the authorize page, press a button, land on the redirect URI. */
export async function decide(
  oauthUrl: string,
  decision: 'allow' | 'deny',
  { state = 'state-1', userId }: { state?: string; userId?: string } = {},
): Promise<URL> {
  const query = new URLSearchParams({ client_id: CLIENT_ID, scope: 'data:read_write', state });
  const page = await fetch(`${oauthUrl}/authorize?${query.toString()}`);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}`);
  const html = await page.text();
  const selected = /<option value="([^"]+)" selected>/.exec(html)?.[1];
  const form = new URLSearchParams({
    client_id: CLIENT_ID,
    scope: 'data:read_write',
    state,
    decision,
    user_id: userId ?? selected ?? '',
  });
  const response = await fetch(`${oauthUrl}/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  if (response.status !== 302) throw new Error(`decision answered ${response.status}`);
  return new URL(response.headers.get('location') ?? '');
}

export async function exchange(
  oauthUrl: string,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${oauthUrl}/access_token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }),
  });
}

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
}

/** A user's access token, through the whole code flow. */
export async function connect(todoist: Endpoints, userId: string): Promise<Tokens> {
  const landing = await decide(todoist.oauthUrl, 'allow', { userId });
  const response = await exchange(todoist.oauthUrl, {
    code: landing.searchParams.get('code') ?? '',
  });
  if (response.status !== 200) throw new Error(`token exchange answered ${response.status}`);
  return (await response.json()) as Tokens;
}

export async function api(
  todoist: Endpoints,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${todoist.apiUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
}
