import type { OutgoingResponse } from '@nestjs/microservices';
import { spliceResponse } from './nest-wire.js';

const serialized = new WeakMap<object, SerializedReply<object>>();
const encoder = new TextEncoder();

/**
 * An RPC reply already in JSON (and UTF-8), which `RpcServer` sends as it is. For a value
 * answered again and again unchanged (a cached task set): each reply then costs neither a
 * `JSON.stringify` and encoding of it nor the garbage those make. The caller receives the same
 * JSON as for the value itself.
 *
 *   @MessagePattern(RPC.integrations.tasks)
 *   tasks(…): Promise<SerializedReply<IntegrationsTasksResponse>>
 */
export class SerializedReply<T extends object> {
  /** Only for the type: the reply's shape once parsed. */
  declare readonly replyType?: T;

  private encoded: Uint8Array | undefined;

  private constructor(private readonly source: Uint8Array | string) {}

  /** The reply's JSON in UTF-8. */
  get bytes(): Uint8Array {
    if (typeof this.source !== 'string') return this.source;
    this.encoded ??= encoder.encode(this.source);
    return this.encoded;
  }

  /**
   * The reply's JSON as text when it was handed over as text (`fromJson`), so a framer can put
   * the whole message into one string and encode it once; else `undefined`.
   */
  get json(): string | undefined {
    return typeof this.source === 'string' ? this.source : undefined;
  }

  /**
   * The value's JSON, made on the first call for this very object and then reused: the value
   * must not change afterwards (freeze it).
   */
  static of<T extends object>(value: T): SerializedReply<T> {
    let reply = serialized.get(value);
    if (!reply) {
      reply = new SerializedReply<object>(encoder.encode(JSON.stringify(value)));
      serialized.set(value, reply);
    }
    return reply as SerializedReply<T>;
  }

  /**
   * A reply whose JSON the handler wrote itself, with a writer specialised for its shape (a
   * large reply answered once, where `JSON.stringify` of the value is the cost). The JSON must be
   * exactly what `JSON.stringify` makes of the value: the handler's tests hold the writer to it.
   */
  static fromJson<T extends object>(json: string): SerializedReply<T> {
    return new SerializedReply<T>(json);
  }
}

/** What Nest's NATS server makes of a reply packet: the message's data and headers. */
export interface NatsReplyFrame {
  data: unknown;
  headers?: unknown;
}

export interface NatsReplySerializer {
  serialize(packet: OutgoingResponse): NatsReplyFrame;
}

/**
 * Nest's NATS reply serializer (`inner`), except that a `SerializedReply` response goes out as
 * its bytes; everything else exactly as `inner` frames it.
 */
export class RpcReplySerializer implements NatsReplySerializer {
  constructor(private readonly inner: NatsReplySerializer) {}

  serialize(packet: OutgoingResponse): NatsReplyFrame {
    const response: unknown = packet.response;
    if (!(response instanceof SerializedReply)) return this.inner.serialize(packet);
    const rest: OutgoingResponse = { ...packet };
    delete rest.response;
    const framed = this.inner.serialize(rest);
    // The rest of the packet as Nest frames it, `{"isDisposed":true,"id":"…"}`, goes after the
    // response: `{"response":<bytes>,"isDisposed":true,"id":"…"}`.
    const others = String(framed.data);
    const closing = others === '{}' ? '}' : `,${others.slice(1)}`;
    return { data: spliceResponse(response.bytes, closing), headers: framed.headers };
  }
}
