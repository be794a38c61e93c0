import type { Msg } from '@nats-io/transport-node';
import {
  IncomingRequestDeserializer,
  type ConsumerDeserializer,
  type IncomingEvent,
  type IncomingRequest,
} from '@nestjs/microservices';

/** A request body read once: the parsed JSON, or not readable (not JSON). */
export type RequestBody = { readable: true; value: unknown } | { readable: false };

/** Reads a request's JSON (UTF-8) without throwing. */
export function readRequestBody(message: Msg): RequestBody {
  try {
    return { readable: true, value: message.json() };
  } catch {
    return { readable: false };
  }
}

/**
 * Nest's NATS request deserializer, handed the body `RpcServer` already parsed to route the
 * request: a 5 KB request is parsed once instead of twice (~20 µs of CPU each on our machines).
 * Nest's own (`inner`: `json()`, then `IncomingRequestDeserializer`) takes any message it was not
 * handed, so a body that is not JSON still fails there and `RpcServer` answers it as before.
 */
export class ParsedRequestDeserializer implements ConsumerDeserializer {
  private readonly parsed = new WeakMap<Msg, unknown>();
  private readonly mapping = new IncomingRequestDeserializer();

  constructor(private readonly inner: ConsumerDeserializer) {}

  /** The parsed body of `message`, for the one `deserialize` call Nest makes for it. */
  remember(message: Msg, body: unknown): void {
    this.parsed.set(message, body);
  }

  deserialize(
    message: Msg,
    options?: Record<string, unknown>,
  ): IncomingRequest | IncomingEvent | Promise<IncomingRequest | IncomingEvent> {
    if (!this.parsed.has(message)) return this.inner.deserialize(message, options);
    const body = this.parsed.get(message);
    this.parsed.delete(message);
    return this.mapping.deserialize(body, options) as IncomingRequest | IncomingEvent;
  }
}
