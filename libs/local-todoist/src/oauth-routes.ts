import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthStore } from './auth.js';
import { escapeHtml, parseFields, readBody, redirect, sendHtml, sendJson } from './http.js';
import type { TaskStore } from './tasks.js';

export interface OAuthContext {
  auth: AuthStore;
  tasks: TaskStore;
  appName: string;
  /** Who is "signed in to Todoist" in this browser: the user the Allow button authorises. */
  signedInUserId(): string;
}

/** `client_id:client_secret` from an `Authorization: Basic` header, when there is one. */
export function basicCredentials(req: IncomingMessage): [string, string] | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return [
    decodeURIComponent(decoded.slice(0, colon)),
    decodeURIComponent(decoded.slice(colon + 1)),
  ];
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#202020}
h1{font-size:1.3rem}.note{color:#808080;font-size:.85rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:6px;border:1px solid #ccc;cursor:pointer}
button[value=allow]{background:#dc4c3e;color:#fff;border-color:#dc4c3e}</style></head>
<body>${body}<p class="note">Local Todoist — a stand-in for development and tests, not todoist.com.</p></body></html>`;
}

function authorizePage(ctx: OAuthContext, params: URLSearchParams): string {
  const hidden = ['client_id', 'scope', 'state', 'redirect_uri']
    .filter((name) => params.has(name))
    .map(
      (name) =>
        `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`,
    )
    .join('');
  const signedIn = ctx.signedInUserId();
  const options = ctx.tasks
    .allUsers()
    .map(
      (user) =>
        `<option value="${escapeHtml(user.id)}"${user.id === signedIn ? ' selected' : ''}>${escapeHtml(user.full_name)} (${escapeHtml(user.email)})</option>`,
    )
    .join('');
  const scopes = (params.get('scope') ?? '')
    .split(',')
    .map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`)
    .join('');
  return page(
    `Authorize ${ctx.appName}`,
    `<h1><strong>${escapeHtml(ctx.appName)}</strong> would like to access your Todoist account</h1>
<p>It asks for:</p><ul>${scopes}</ul>
<form method="post" action="authorize">${hidden}
<p><label>Signed in as <select name="user_id">${options}</select></label></p>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/**
 * Where the browser returns: the app's configured redirect URL; a request may name it again
 * but not another one (no open redirect). Without a configured one, the request's.
 */
function redirectTarget(ctx: OAuthContext, requested: string | null | undefined): string | null {
  const configured = ctx.auth.client.redirectUri;
  if (configured) return !requested || requested === configured ? configured : null;
  return requested || null;
}

function withParams(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export async function handleOAuth(
  ctx: OAuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  query: URLSearchParams,
): Promise<boolean> {
  if (route === '/authorize' && req.method === 'GET') {
    if (query.get('client_id') !== ctx.auth.client.clientId) {
      sendHtml(res, 400, page('Invalid request', '<h1>Invalid client_id</h1>'));
    } else if (!query.get('scope') || !query.get('state')) {
      sendHtml(res, 400, page('Invalid request', '<h1>Missing scope or state</h1>'));
    } else if (!redirectTarget(ctx, query.get('redirect_uri'))) {
      sendHtml(res, 400, page('Invalid request', '<h1>Invalid redirect_uri</h1>'));
    } else {
      sendHtml(res, 200, authorizePage(ctx, query));
    }
    return true;
  }
  if (route === '/authorize' && req.method === 'POST') {
    const fields = parseFields(req, await readBody(req));
    const target = redirectTarget(ctx, fields.redirect_uri);
    if (fields.client_id !== ctx.auth.client.clientId || !target) {
      sendHtml(res, 400, page('Invalid request', '<h1>No redirect URL for this app</h1>'));
      return true;
    }
    const state = fields.state ?? '';
    if (fields.decision !== 'allow') {
      redirect(res, withParams(target, { error: 'access_denied', state }));
      return true;
    }
    const userId = fields.user_id ?? ctx.signedInUserId();
    if (!ctx.tasks.user(userId)) {
      sendHtml(res, 400, page('Invalid request', '<h1>Unknown user</h1>'));
      return true;
    }
    const code = ctx.auth.issueCode(userId, fields.scope ?? '');
    redirect(res, withParams(target, { code, state }));
    return true;
  }
  if (route === '/access_token' && req.method === 'POST') {
    const fields = parseFields(req, await readBody(req));
    const [clientId, clientSecret] = basicCredentials(req) ?? [
      fields.client_id,
      fields.client_secret,
    ];
    if (!ctx.auth.authenticates(clientId, clientSecret)) {
      sendJson(res, 401, { error: 'invalid_client' });
      return true;
    }
    const grantType = fields.grant_type ?? 'authorization_code';
    const result =
      grantType === 'authorization_code'
        ? ctx.auth.exchangeCode(fields.code ?? '')
        : grantType === 'refresh_token'
          ? ctx.auth.refresh(fields.refresh_token ?? '')
          : 'unsupported_grant_type';
    if (typeof result === 'string') sendJson(res, 400, { error: result });
    else sendJson(res, 200, result, { 'cache-control': 'no-store' });
    return true;
  }
  return false;
}
