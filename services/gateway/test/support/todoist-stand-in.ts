import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TodoistStandIn {
  /** `TODOIST_OAUTH_URL` for integrations. */
  oauthUrl: string;
  /** `TODOIST_API_URL` for integrations. */
  apiUrl: string;
  /** What the consent page does when the browser arrives: Allow, Deny. */
  consent: 'allow' | 'deny';
  /** When true, `/access_token` answers 503. */
  tokenEndpointDown: boolean;
  /** The form bodies `/access_token` received. */
  exchanges: Array<Record<string, string>>;
  /** Every access token it issued, to look for in the database. */
  issuedTokens: string[];
  close(): Promise<void>;
}

/**
 * A minimal Todoist for the connect flow, until `@oo/local-todoist` is in: the consent page
 * answers at once (Allow → back to the callback with a code, Deny → `error=access_denied`),
 * `/access_token` trades a code once for a token, `/api/v1/user` names the token's user.
 */
export async function startTodoistStandIn(options: {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  todoistUserId: string;
}): Promise<TodoistStandIn> {
  const codes = new Set<string>();
  const tokens = new Set<string>();
  const server = createServer((request, response) => {
    void handle(request, response).catch(() => send(response, 500, { error: 'stand-in failed' }));
  });
  const standIn: TodoistStandIn = {
    oauthUrl: '',
    apiUrl: '',
    consent: 'allow',
    tokenEndpointDown: false,
    exchanges: [],
    issuedTokens: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://todoist.invalid');
    if (request.method === 'GET' && url.pathname === '/oauth/authorize') {
      const back = new URL(options.callbackUrl);
      const state = url.searchParams.get('state') ?? '';
      if (url.searchParams.get('client_id') !== options.clientId) {
        return send(response, 400, { error: 'invalid client_id' });
      }
      if (standIn.consent === 'deny') {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('hex');
        codes.add(code);
        back.searchParams.set('code', code);
      }
      back.searchParams.set('state', state);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/oauth/access_token') {
      const form = Object.fromEntries(new URLSearchParams(await readBody(request)));
      standIn.exchanges.push(form);
      if (standIn.tokenEndpointDown) return send(response, 503, { error: 'down' });
      if (
        form['client_id'] !== options.clientId ||
        form['client_secret'] !== options.clientSecret
      ) {
        return send(response, 400, { error: 'bad_client' });
      }
      if (!form['code'] || !codes.delete(form['code'])) {
        return send(response, 400, { error: 'bad_authorization_code' });
      }
      const token = `todoist-token-${randomBytes(20).toString('hex')}`;
      tokens.add(token);
      standIn.issuedTokens.push(token);
      return send(response, 200, { access_token: token, token_type: 'Bearer' });
    }
    if (request.method === 'GET' && url.pathname === '/api/v1/user') {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!token || !tokens.has(token)) return send(response, 401, { error: 'Unauthorized' });
      return send(response, 200, { id: options.todoistUserId, full_name: 'Ada' });
    }
    send(response, 404, { error: 'not found' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.oauthUrl = `${base}/oauth`;
  standIn.apiUrl = `${base}/api/v1`;
  return standIn;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
