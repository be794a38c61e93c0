import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, sendJson } from './http.js';
import { MAX_BODY_BYTES } from './push-headers.js';
import type { PushService } from './push-service.js';

export const PUSH_PREFIX = '/push';

/** `POST /push/<subscriptionId>`: a push message (RFC 8030 §5), answered as the service decides. */
export async function handlePush(
  service: PushService,
  req: IncomingMessage,
  res: ServerResponse,
  subscriptionId: string,
): Promise<void> {
  if (req.method !== 'POST') {
    sendJson(res, 405, { code: 405, error: STATUS_CODES[405] }, { allow: 'POST' });
    return;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  const answer = service.receive({ subscriptionId, headers: req.headers, body });
  if (answer.reason === undefined) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  // The error shape of Mozilla's autopush: a status, its name, and a readable reason.
  sendJson(
    res,
    answer.status,
    { code: answer.status, error: STATUS_CODES[answer.status] ?? 'Error', message: answer.reason },
    answer.headers,
  );
}
