import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it, stamped with the server's own clock on arrival. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  receivedAt: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
}

export type Responder = (request: SeenRequest) => Answer;

export interface TinyTodoist {
  /** `TODOIST_API_URL` for the client: `http://127.0.0.1:<port>/api/v1`. */
  url: string;
  /** Every request received, in order of arrival. */
  requests: SeenRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/**
 * A few lines of HTTP standing in for Todoist in the client's own tests: each test says what
 * to answer, and the server records what arrived and when. (The faithful local Todoist, with
 * OAuth, webhooks and state, is its own process elsewhere; this one only answers.)
 */
export async function startTinyTodoist(): Promise<TinyTodoist> {
  const requests: SeenRequest[] = [];
  let responder: Responder = () => ({ status: 404 });
  const server = createServer((req, res) => {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, ''),
      query: url.searchParams,
      headers: req.headers,
      receivedAt,
    };
    requests.push(seen);
    req.resume();
    const answer = responder(seen);
    if (answer.hang) return;
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...answer.headers,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    requests,
    respond(next) {
      responder = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
