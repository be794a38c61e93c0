import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http.js';
import { NotFound } from './tasks.js';
import type { LocalTodoistControl } from './types.js';

/** Every control operation, by name: what `/__control/<name>` accepts. */
export const CONTROL_OPERATIONS = [
  'addUser',
  'signIn',
  'addTasks',
  'updateTask',
  'completeTask',
  'deleteTask',
  'openTasks',
  'task',
  'completionCount',
  'setRateLimit',
  'failNext',
  'hangNext',
  'expireAccessTokens',
  'requests',
  'revokedTokens',
  'setWebhookUrl',
  'dropNextWebhooks',
  'redeliver',
  'deliveries',
] as const satisfies readonly (keyof LocalTodoistControl)[];

type Operation = (typeof CONTROL_OPERATIONS)[number];

function isOperation(name: string): name is Operation {
  return (CONTROL_OPERATIONS as readonly string[]).includes(name);
}

/** `POST /__control/<operation>` with the arguments as a JSON array → `{ result }`. */
export async function handleControl(
  control: LocalTodoistControl,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
): Promise<void> {
  if (req.method !== 'POST' || !isOperation(name)) {
    sendJson(res, 404, { error: `no control operation ${name}` });
    return;
  }
  const raw = await readBody(req);
  const args: unknown = raw ? JSON.parse(raw) : [];
  if (!Array.isArray(args)) {
    sendJson(res, 400, { error: 'the body is the arguments as a JSON array' });
    return;
  }
  try {
    const operation = control[name] as (...values: unknown[]) => Promise<unknown>;
    const result = await operation(...(args as unknown[]));
    sendJson(res, 200, { result: result ?? null });
  } catch (error) {
    sendJson(res, error instanceof NotFound ? 404 : 400, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The control of a local Todoist running as another process, over `/__control`. */
export function connectLocalTodoist(url: string): LocalTodoistControl {
  const call =
    (name: Operation) =>
    async (...args: unknown[]): Promise<unknown> => {
      const response = await fetch(`${url}/__control/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      const body = (await response.json()) as { result?: unknown; error?: string };
      if (!response.ok) throw new Error(`local Todoist ${name}: ${body.error ?? response.status}`);
      return body.result;
    };
  return Object.fromEntries(
    CONTROL_OPERATIONS.map((name) => [name, call(name)]),
  ) as unknown as LocalTodoistControl;
}
