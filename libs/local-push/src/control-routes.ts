import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http.js';
import { UnknownSubscription } from './subscriptions.js';
import type { LocalPushControl } from './types.js';

export const CONTROL_PREFIX = '/_control';
const CONTROL_BODY_LIMIT = 64 * 1024;

/** Every control operation, by name: what `/_control/<name>` accepts. */
export const CONTROL_OPERATIONS = [
  'createSubscription',
  'removeSubscription',
  'setOnline',
  'respondNext',
  'delivered',
  'queued',
  'attempts',
  'reset',
] as const satisfies readonly (keyof LocalPushControl)[];

type Operation = (typeof CONTROL_OPERATIONS)[number];

function isOperation(name: string): name is Operation {
  return (CONTROL_OPERATIONS as readonly string[]).includes(name);
}

/** `POST /_control/<operation>` with the arguments as a JSON array → `{ result }`. */
export async function handleControl(
  control: LocalPushControl,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
): Promise<void> {
  if (req.method !== 'POST' || !isOperation(name)) {
    sendJson(res, 404, { error: `no control operation ${name}` });
    return;
  }
  const raw = (await readBody(req, CONTROL_BODY_LIMIT)).toString('utf8');
  let args: unknown;
  try {
    args = raw ? JSON.parse(raw) : [];
  } catch {
    args = undefined;
  }
  if (!Array.isArray(args)) {
    sendJson(res, 400, { error: 'the body is the arguments as a JSON array' });
    return;
  }
  try {
    const operation = control[name] as (...values: unknown[]) => Promise<unknown>;
    // JSON has no undefined: an omitted optional argument arrives as null.
    const result = await operation(...args.map((arg: unknown) => arg ?? undefined));
    sendJson(res, 200, { result: result ?? null });
  } catch (error) {
    sendJson(res, error instanceof UnknownSubscription ? 404 : 400, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The control of a local push service running as another process, over `/_control`. */
export function connectLocalPush(url: string): LocalPushControl {
  const call =
    (name: Operation) =>
    async (...args: unknown[]): Promise<unknown> => {
      const response = await fetch(`${url}${CONTROL_PREFIX}/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      const body = (await response.json()) as { result?: unknown; error?: string };
      if (!response.ok) throw new Error(`local push ${name}: ${body.error ?? response.status}`);
      return body.result;
    };
  const control = Object.fromEntries(CONTROL_OPERATIONS.map((name) => [name, call(name)]));
  return control as unknown as LocalPushControl;
}
