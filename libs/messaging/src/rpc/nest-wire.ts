import { rpcError } from '@oo/contracts';

/**
 * Nest's NATS RPC wire format, as far as our code writes it itself (RpcServer's answers to
 * unreadable requests, RpcRoute's replies). WARNING: outside callers parse these bytes
 * (ARCHITECTURE.md §3): request `{pattern, data, id}`, reply `{response | err, isDisposed, id}`.
 */

/** The request id Nest echoes in its reply: a string or a number. */
export type NestRequestId = string | number;

/** The request's `id` when the parsed body is a Nest request (JSON object with an id). */
export function nestRequestId(body: unknown): NestRequestId | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** The reply to a body that is not JSON: Nest would answer nothing, the caller would time out. */
export const NOT_JSON_REPLY = JSON.stringify({
  id: null,
  err: rpcError('invalid_request', "request is not JSON in Nest's {pattern, data, id} form"),
  isDisposed: true,
});

/**
 * The reply to JSON without Nest's request `id` (e.g. the bare `data`): Nest would take it for
 * an event and answer nothing, so the caller would wait for its timeout.
 */
export const MISSHAPEN_REPLY = JSON.stringify({
  id: null,
  err: rpcError(
    'invalid_request',
    "request is not in Nest's {pattern, data, id} form: send the request object as `data`, with an `id`",
  ),
  isDisposed: true,
});

const encoder = new TextEncoder();
const RESPONSE_OPENING = encoder.encode('{"response":');

/**
 * A reply carrying a response already in JSON, as Nest frames a one-value reply:
 * `{"response":<json>,"isDisposed":true,"id":<id>}`. JSON still in text stays text: the whole
 * reply is then encoded once, on sending, instead of the response and then the frame.
 */
export function frameResponseJson(
  json: Uint8Array | string,
  id: NestRequestId,
): Uint8Array | string {
  const closing = `,"isDisposed":true,"id":${JSON.stringify(id)}}`;
  if (typeof json === 'string') return `{"response":${json}${closing}`;
  return spliceResponse(json, closing);
}

/** `{"response":` + the response's JSON bytes + `closing` (the rest of the frame, with `}`). */
export function spliceResponse(json: Uint8Array, closing: string): Uint8Array {
  const closingBytes = encoder.encode(closing);
  const data = new Uint8Array(RESPONSE_OPENING.length + json.length + closingBytes.length);
  data.set(RESPONSE_OPENING, 0);
  data.set(json, RESPONSE_OPENING.length);
  data.set(closingBytes, RESPONSE_OPENING.length + json.length);
  return data;
}

/** A one-value reply as Nest frames it (`undefined` is left out, as JSON.stringify does). */
export function frameResponse(response: unknown, id: NestRequestId): string {
  return JSON.stringify({ response, isDisposed: true, id });
}

/** An error reply as Nest frames it: `{"err":<err>,"isDisposed":true,"id":<id>}`. */
export function frameError(err: unknown, id: NestRequestId): string {
  return JSON.stringify({ err, isDisposed: true, id });
}
