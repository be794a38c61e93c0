import type { IncomingHttpHeaders } from 'node:http';
import { PushRejection } from './push-rejection.js';
import { URGENCIES, type Urgency } from './types.js';

/** RFC 8030 §7.2: the least a push service must accept; this one accepts no more. */
export const MAX_BODY_BYTES = 4096;
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

export interface DeliveryOptions {
  ttl: number;
  urgency: Urgency;
  topic?: string;
}

function isUrgency(value: string): value is Urgency {
  return (URGENCIES as readonly string[]).includes(value);
}

/** RFC 8030 §5.2-5.4: `TTL` (required), `Urgency` and `Topic`; anything malformed is a 400. */
export function readDeliveryOptions(headers: IncomingHttpHeaders): DeliveryOptions {
  const ttl = typeof headers.ttl === 'string' ? headers.ttl.trim() : '';
  if (!/^\d+$/.test(ttl)) throw new PushRejection(400, 'TTL must be a non-negative integer');
  const urgency = headers.urgency?.toString().trim() ?? 'normal';
  if (!isUrgency(urgency))
    throw new PushRejection(400, `Urgency must be one of ${URGENCIES.join(', ')}`);
  const topic = headers.topic?.toString().trim();
  if (topic !== undefined && !TOPIC.test(topic))
    throw new PushRejection(400, 'Topic must be at most 32 characters of base64url');
  return { ttl: Number(ttl), urgency, ...(topic === undefined ? {} : { topic }) };
}

/** RFC 8291 §4: a body must be `aes128gcm`-encoded (415 otherwise) and fit in 4096 bytes (413). */
export function checkBody(headers: IncomingHttpHeaders, body: Buffer): void {
  if (body.length === 0) return;
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== 'aes128gcm') throw new PushRejection(415, 'Content-Encoding must be aes128gcm');
  if (body.length > MAX_BODY_BYTES)
    throw new PushRejection(413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
}
