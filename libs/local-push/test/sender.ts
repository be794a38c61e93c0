// An application server for the specs: the `web-push` package (the sender oO uses) plus the
// few hand-made requests no well-behaved library would send.
import { createPrivateKey, sign } from 'node:crypto';
import webpush, { type RequestOptions, type VapidKeys } from 'web-push';
import type { PushSubscriptionJson } from '../src/index.js';

export const SUBJECT = 'mailto:push@oo.test';

export interface PushRequest {
  endpoint: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** What web-push would send, as a request the spec can still change before sending. */
export function webPushRequest(
  subscription: PushSubscriptionJson,
  payload: string | null,
  vapid: VapidKeys,
  options: Omit<RequestOptions, 'vapidDetails'> = {},
): PushRequest {
  const details = webpush.generateRequestDetails(subscription, payload ?? undefined, {
    ...options,
    vapidDetails: { subject: SUBJECT, ...vapid },
  });
  // fetch computes Content-Length itself and wants string header values.
  const headers = Object.fromEntries(
    Object.entries(details.headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .map(([name, value]) => [name, String(value)]),
  );
  return { endpoint: details.endpoint, headers, body: details.body };
}

export function send({ endpoint, headers, body }: PushRequest): Promise<Response> {
  return fetch(endpoint, { method: 'POST', headers, body });
}

/** web-push's request, sent as is. */
export function sendWebPush(
  subscription: PushSubscriptionJson,
  payload: string | null,
  vapid: VapidKeys,
  options: Omit<RequestOptions, 'vapidDetails'> = {},
): Promise<Response> {
  return send(webPushRequest(subscription, payload, vapid, options));
}

/** An ES256 JWT with any claims (web-push refuses to make bad ones), as `vapid t=…, k=…`. */
export function vapidAuthorization(claims: Record<string, unknown>, vapid: VapidKeys): string {
  const point = Buffer.from(vapid.publicKey, 'base64url');
  const key = createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
      d: vapid.privateKey,
    },
    format: 'jwk',
  });
  const encode = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ typ: 'JWT', alg: 'ES256' })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(signed), { key, dsaEncoding: 'ieee-p1363' });
  return `vapid t=${signed}.${signature.toString('base64url')}, k=${vapid.publicKey}`;
}

export function inSeconds(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}
