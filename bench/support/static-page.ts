/**
 * The floor for the web bench: a bare node:http server answering every GET with one small HTML
 * page whose `<h1>` is in the markup itself. No script, no stylesheet, no API call: what any
 * navigation to a page costs in Chromium on this machine, so the app's time to a visible tip can
 * be read as "floor + what oO adds".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The text of the static page's heading (what the bench waits for). */
export const STATIC_HEADING = 'A static page';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Static</title>
  </head>
  <body>
    <main><h1>${STATIC_HEADING}</h1></main>
  </body>
</html>
`;

export interface StaticPage {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the page on a free port of 127.0.0.1, in this process: it answers a few dozen requests
 * in the whole run, so a process of its own would only add start-up time.
 */
export async function startStaticPage(): Promise<StaticPage> {
  const body = Buffer.from(PAGE);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    // A small HTML page, not cacheable: each navigation goes to the server, as the app's does.
    response.writeHead(request.url === '/' ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
