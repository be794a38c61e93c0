import { ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { rpcError } from '@oo/contracts';
import type { Topology } from '../topology.js';
import { RpcReplySerializer, type NatsReplySerializer } from './serialized-reply.js';

export interface RpcServerOptions {
  url: string;
  service: string;
  topology: Topology;
}

/**
 * Nest's NATS transport for `@MessagePattern('rpc.<service>.<op>')`: the wire format is Nest's,
 * so any NATS client can call it. Instances of a service share one queue group; event handlers
 * are left to JetStream (a core subscription to `signals.*` would handle each event twice).
 */
export class RpcServer extends ServerNats {
  private readonly rpcSubscriptions: Array<{ drain(): Promise<void> }> = [];
  private client: NatsConnection | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(private readonly rpc: RpcServerOptions) {
    super({
      servers: rpc.url.split(','),
      name: `${rpc.service}-rpc`,
      queue: rpc.service,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    // Nest's own framing, plus replies handlers hand over already serialized.
    this.serializer = new RpcReplySerializer(this.serializer as NatsReplySerializer);
  }

  /**
   * Reports started only once the NATS server has the subscriptions (a flush is a round trip
   * after them): the service listens on HTTP after this, so a `/health` of 200 means its RPCs
   * are routable, and a caller that waited for it never gets `no_responders`.
   */
  override start(callback: (error?: unknown) => void): void {
    super.start((error?: unknown) => {
      if (error || !this.client) return callback(error);
      this.client.flush().then(() => callback(), callback);
    });
  }

  override bindEvents(client: NatsConnection): void {
    this.client = client;
    for (const [pattern, handler] of this.getHandlers()) {
      if (handler.isEventHandler) continue;
      if (!pattern.startsWith('rpc.')) {
        throw new Error(
          `@MessagePattern('${pattern}') must be an 'rpc.<service>.<operation>' subject`,
        );
      }
      const subscription = client.subscribe(this.rpc.topology.wire(pattern), {
        queue: this.rpc.service,
        callback: (error: Error | null, message: Msg) => {
          if (error) {
            this.handleError(error.message);
            return;
          }
          if (message.reply && !isNestRequest(message)) {
            this.answerMisshapen(message);
            return;
          }
          const work = this.handleMessage(pattern, message).catch((failure: unknown) =>
            this.answerUnreadable(message, failure),
          );
          this.inFlight.add(work);
          void work.finally(() => this.inFlight.delete(work));
        },
      });
      this.rpcSubscriptions.push(subscription);
    }
  }

  /**
   * Our patterns are plain `rpc.*` strings; Nest would first try JSON.parse on each (and throw
   * and catch) for every request.
   */
  override getRouteFromPattern(pattern: string): string {
    return pattern.startsWith('rpc.') ? pattern : super.getRouteFromPattern(pattern);
  }

  /**
   * Nest answers nothing when a request is not JSON, so the caller would wait for its timeout;
   * it gets a contract error at once instead. Handler errors never get here: Nest replies them.
   */
  private answerUnreadable(message: Msg, failure: unknown): void {
    if (!(failure instanceof SyntaxError) || !message.reply) {
      this.handleError(
        failure instanceof Error ? (failure.stack ?? failure.message) : String(failure),
      );
      return;
    }
    const err = rpcError(
      'invalid_request',
      "request is not JSON in Nest's {pattern, data, id} form",
    );
    message.respond(JSON.stringify({ id: null, err, isDisposed: true }));
  }

  /**
   * JSON without Nest's request `id` (e.g. the bare `data`): Nest would take it for an event and
   * answer nothing, so the caller would wait for its timeout.
   */
  private answerMisshapen(message: Msg): void {
    const err = rpcError(
      'invalid_request',
      "request is not in Nest's {pattern, data, id} form: send the request object as `data`, with an `id`",
    );
    message.respond(JSON.stringify({ id: null, err, isDisposed: true }));
  }

  /**
   * Stops taking requests (the queue group sends new ones to other instances), answers those in
   * flight, then closes. Idempotent: the service's stop and Nest's app.close() both call it.
   */
  override close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(this.rpcSubscriptions.map((subscription) => subscription.drain()));
      await Promise.all([...this.inFlight]);
      // Nest sends a reply on the next tick after the handler resolves.
      await new Promise((resolve) => setImmediate(resolve));
      await super.close();
    })();
    return this.closing;
  }
}

/**
 * Whether a request reads as Nest's `{pattern, data, id}`. Not JSON at all counts as yes here:
 * Nest's deserializer throws on it and `answerUnreadable` replies.
 */
function isNestRequest(message: Msg): boolean {
  let body: unknown;
  try {
    body = message.json();
  } catch {
    return true;
  }
  if (typeof body !== 'object' || body === null) return false;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number';
}
