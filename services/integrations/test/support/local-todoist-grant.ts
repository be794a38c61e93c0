import type { LocalTodoist } from '@oo/local-todoist';

/**
 * An access token the local Todoist issued to `todoistUserId`, through its OAuth code flow as
 * a browser and the service would run it (Allow on the authorize page, then the exchange).
 * For tests that start from "already connected"; connect itself is tested through the service.
 */
export async function grantAccessToken(
  todoist: Pick<LocalTodoist, 'oauthUrl'>,
  client: { id: string; secret: string },
  todoistUserId: string,
): Promise<string> {
  const decision = await fetch(`${todoist.oauthUrl}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: client.id,
      scope: 'data:read_write',
      state: 'test',
      decision: 'allow',
      user_id: todoistUserId,
    }),
    redirect: 'manual',
  });
  const code = new URL(decision.headers.get('location') ?? '').searchParams.get('code');
  if (decision.status !== 302 || !code) throw new Error(`authorize answered ${decision.status}`);
  const exchange = await fetch(`${todoist.oauthUrl}/access_token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: client.id, client_secret: client.secret, code }),
  });
  if (exchange.status !== 200) throw new Error(`token exchange answered ${exchange.status}`);
  return ((await exchange.json()) as { access_token: string }).access_token;
}
