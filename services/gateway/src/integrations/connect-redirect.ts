import type { FastifyReply } from 'fastify';

/** The SPA page a connect attempt ends on: the only place these routes send a browser. */
const CONNECT_PAGE = '/connect';

/**
 * The allow-listed SPA address for an outcome: `/connect?connected=<provider>` or
 * `/connect?error=<code>`, on PUBLIC_URL's origin. The code is one of ours (the
 * `rpc.integrations.complete` enum or a gateway one), never text from the query.
 */
export function connectPage(
  publicUrl: string,
  outcome: { connected: string } | { error: string },
): string {
  const url = new URL(CONNECT_PAGE, publicUrl);
  if ('connected' in outcome) url.searchParams.set('connected', outcome.connected);
  else url.searchParams.set('error', outcome.error);
  return url.toString();
}

export async function redirect(reply: FastifyReply, location: string): Promise<void> {
  await reply.status(302).header('location', location).header('cache-control', 'no-store').send();
}
