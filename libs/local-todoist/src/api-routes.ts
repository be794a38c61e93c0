import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthStore } from './auth.js';
import { apiError, parseFields, readBody, sendJson } from './http.js';
import { basicCredentials } from './oauth-routes.js';
import type { RateLimiter } from './rate-limit.js';
import type { TaskStore } from './tasks.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

export interface ApiContext {
  auth: AuthStore;
  tasks: TaskStore;
  rateLimiter: RateLimiter;
  /** `X-Request-Id`s already served, per user: a retry is answered without acting twice. */
  seenRequestIds: Set<string>;
}

function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string | null): Record<string, unknown> | null | 'invalid' {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : 'invalid';
  } catch {
    return 'invalid';
  }
}

function pageLimit(query: URLSearchParams): number | null {
  const raw = query.get('limit');
  if (raw === null) return DEFAULT_LIMIT;
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT ? limit : null;
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

/** The user behind the request's bearer token (for the request log), without counting it. */
export function requestUser(ctx: ApiContext, req: IncomingMessage): string | null {
  const token = bearerToken(req);
  return token ? ctx.auth.userOf(token) : null;
}

async function revoke(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fields = parseFields(req, await readBody(req));
  const [clientId, clientSecret] = basicCredentials(req) ?? [
    fields.client_id,
    fields.client_secret,
  ];
  if (!ctx.auth.authenticates(clientId, clientSecret)) {
    sendJson(res, 401, { error: 'invalid_client' });
    return;
  }
  if (!fields.token) {
    sendJson(res, 400, { error: 'invalid_request' });
    return;
  }
  ctx.auth.revoke(fields.token);
  res.writeHead(200);
  res.end();
}

function listTasks(
  ctx: ApiContext,
  userId: string,
  query: URLSearchParams,
  res: ServerResponse,
): void {
  const limit = pageLimit(query);
  const cursor = decodeCursor(query.get('cursor'));
  if (limit === null || cursor === 'invalid' || (cursor && cursor.u !== userId)) {
    apiError(res, 400, 'INVALID_ARGUMENT_VALUE', 'Invalid argument value', {
      argument: limit === null ? 'limit' : 'cursor',
    });
    return;
  }
  const after = typeof cursor?.s === 'number' ? cursor.s : 0;
  const projectId = query.get('project_id');
  const ids = query.get('ids')?.split(',');
  const matching = ctx.tasks
    .openTasks(userId, after)
    .filter(({ task }) => !projectId || task.project_id === projectId)
    .filter(({ task }) => !ids || ids.includes(task.id));
  const page = matching.slice(0, limit);
  const last = page[page.length - 1];
  sendJson(res, 200, {
    results: page.map(({ task }) => task),
    next_cursor: matching.length > limit && last ? encodeCursor({ u: userId, s: last.seq }) : null,
  });
}

function listCompleted(
  ctx: ApiContext,
  userId: string,
  query: URLSearchParams,
  res: ServerResponse,
): void {
  const since = new Date(query.get('since') ?? '');
  const until = new Date(query.get('until') ?? '');
  const limit = pageLimit(query);
  const cursor = decodeCursor(query.get('cursor'));
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()) || limit === null) {
    apiError(res, 400, 'INVALID_ARGUMENT_VALUE', 'since, until (ISO 8601) and limit ≤ 200', {
      argument: 'since/until',
    });
    return;
  }
  if (cursor === 'invalid' || (cursor && cursor.u !== userId)) {
    apiError(res, 400, 'INVALID_ARGUMENT_VALUE', 'Invalid argument value', {
      argument: 'cursor',
    });
    return;
  }
  const offset = typeof cursor?.o === 'number' ? cursor.o : 0;
  const all = ctx.tasks.completedBetween(userId, since, until);
  const items = all.slice(offset, offset + limit).map((c) => c.task);
  sendJson(res, 200, {
    items,
    next_cursor:
      offset + limit < all.length ? encodeCursor({ u: userId, o: offset + limit }) : null,
  });
}

function closeTask(
  ctx: ApiContext,
  userId: string,
  taskId: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const requestId = req.headers['x-request-id'];
  const key = typeof requestId === 'string' && requestId ? `${userId}:${requestId}` : null;
  if (key && ctx.seenRequestIds.has(key)) {
    res.writeHead(204);
    res.end();
    return;
  }
  if (!ctx.tasks.ownedTask(userId, taskId)) {
    apiError(res, 404, 'NOT_FOUND', 'Task not found');
    return;
  }
  ctx.tasks.completeTask(taskId);
  if (key) ctx.seenRequestIds.add(key);
  res.writeHead(204);
  res.end();
}

function currentUser(ctx: ApiContext, userId: string, res: ServerResponse): void {
  const user = ctx.tasks.user(userId);
  if (!user) {
    apiError(res, 404, 'NOT_FOUND', 'User not found');
    return;
  }
  sendJson(res, 200, {
    id: user.id,
    email: user.email,
    full_name: user.full_name,
    inbox_project_id: user.inbox_project_id,
    is_premium: false,
    premium_status: 'not_premium',
    lang: 'en',
    start_day: 1,
    tz_info: { timezone: user.timezone, gmt_string: '', hours: 0, minutes: 0, is_dst: 0 },
  });
}

/** API v1: the routes oO uses, with Todoist's auth, rate limit and error envelope. */
export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  query: URLSearchParams,
): Promise<boolean> {
  if (route === '/revoke' && req.method === 'POST') {
    await revoke(ctx, req, res);
    return true;
  }
  const token = bearerToken(req);
  const userId = token ? ctx.auth.userOf(token) : null;
  if (!userId) {
    apiError(res, 401, 'AUTH_INVALID_TOKEN', 'Invalid token');
    return true;
  }
  const retryAfter = ctx.rateLimiter.take(userId);
  if (retryAfter !== null) {
    apiError(
      res,
      429,
      'MAX_REQUESTS_LIMIT_REACHED',
      'Too many requests. Limits reached. Try again later',
      { retry_after: retryAfter },
      { 'retry-after': String(retryAfter) },
    );
    return true;
  }
  const close = /^\/tasks\/([^/]+)\/close$/.exec(route);
  const single = /^\/tasks\/([^/]+)$/.exec(route);
  if (req.method === 'GET' && route === '/tasks') listTasks(ctx, userId, query, res);
  else if (req.method === 'GET' && route === '/tasks/completed/by_completion_date')
    listCompleted(ctx, userId, query, res);
  else if (req.method === 'GET' && route === '/user') currentUser(ctx, userId, res);
  else if (req.method === 'POST' && close)
    closeTask(ctx, userId, decodeURIComponent(close[1] ?? ''), req, res);
  else if (req.method === 'GET' && single) {
    const task = ctx.tasks.ownedTask(userId, decodeURIComponent(single[1] ?? ''));
    if (task) sendJson(res, 200, task);
    else apiError(res, 404, 'NOT_FOUND', 'Task not found');
  } else return false;
  return true;
}
