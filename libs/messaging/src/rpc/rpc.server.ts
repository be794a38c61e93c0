import { ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Topology } from '../topology.js';
import { MISSHAPEN_REPLY, nestRequestId, NOT_JSON_REPLY } from './nest-wire.js';
import { ParsedRequestDeserializer, readRequestBody } from './parsed-request.js';
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
  private readonly requests: ParsedRequestDeserializer;

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
    // The body is parsed here to tell a request from a misshapen one; Nest reuses that parse.
    this.requests = new ParsedRequestDeserializer(this.deserializer);
    this.deserializer = this.requests;
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
          const body = readRequestBody(message);
          if (body.readable) {
            if (message.reply && nestRequestId(body.value) === undefined) {
              this.answerMisshapen(message);
              return;
            }
            this.requests.remember(message, body.value);
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
    message.respond(NOT_JSON_REPLY);
  }

  /**
   * JSON without Nest's request `id` (e.g. the bare `data`): Nest would take it for an event and
   * answer nothing, so the caller would wait for its timeout.
   */
  private answerMisshapen(message: Msg): void {
    message.respond(MISSHAPEN_REPLY);
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
