import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import type { RpcMap, RpcSubject } from '@oo/contracts';
import type { Topology } from '../topology.js';
import {
  frameError,
  frameResponse,
  frameResponseJson,
  MISSHAPEN_REPLY,
  nestRequestId,
  NOT_JSON_REPLY,
  type NestRequestId,
} from './nest-wire.js';
import { readRequestBody } from './parsed-request.js';
import { RpcContractPipe } from './rpc-contract.pipe.js';
import { SerializedReply } from './serialized-reply.js';

/** What a route's handler answers: the response, or its JSON already made. */
export type RpcRouteAnswer<S extends RpcSubject> =
  RpcMap[S]['response'] | SerializedReply<RpcMap[S]['response']>;

/** How one request ended, for the owner's metrics. */
export interface RpcRouteOutcome {
  /** The request's `data` as it came (not validated when `errorCode` is `invalid_request`). */
  data: unknown;
  /** From the message's arrival to its reply being queued for sending. */
  seconds: number;
  /** The error's `code` when the reply is an error (`internal` for an unexpected one). */
  errorCode?: string;
}

export interface RpcRouteOptions<S extends RpcSubject> {
  nc: NatsConnection;
  topology: Topology;
  /** The queue group: the service's name, the same group `RpcServer` uses for its other RPCs. */
  service: string;
  subject: S;
  /**
   * Answers a request that passed its schema (schemas/rpc): the response, or a promise of it;
   * throw (or reject with) an `RpcException` — `rpcFailure(…)` — to answer an error.
   */
  handle(request: RpcMap[S]['request']): RpcRouteAnswer<S> | Promise<RpcRouteAnswer<S>>;
  onAnswered?(outcome: RpcRouteOutcome): void;
}

/**
 * One RPC operation answered straight from its own NATS subscription, in Nest's wire format:
 * a caller gets the same bytes as from a `@MessagePattern` handler on `RpcServer` with
 * `RpcContractPipe` (replies, contract errors, Nest's "Internal server error" for anything else,
 * the answers to a body that is not JSON or not Nest's shape), and `RpcServer` must not serve the
 * subject too. For the one hot operation where Nest's per-request pipeline (deserializer, context
 * creator, rxjs send with its ticks) is a real share of the cost: the body is parsed once, and a
 * handler that answers synchronously has its reply queued in the same turn, so replies to a
 * burst of requests leave in one socket write. Everything else stays on `RpcServer`.
 */
export class RpcRoute<S extends RpcSubject> {
  private static readonly logger = new Logger('RpcRoute');
  private readonly subscription: Subscription;
  private readonly contract: RpcContractPipe<S>;
  private readonly errors = new BaseRpcExceptionFilter();
  private readonly inFlight = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;

  private constructor(private readonly options: RpcRouteOptions<S>) {
    this.contract = new RpcContractPipe(options.subject);
    this.subscription = options.nc.subscribe(options.topology.wire(options.subject), {
      queue: options.service,
      callback: (error, message) => {
        if (error) RpcRoute.logger.error(`${options.subject}: ${error.message}`);
        else this.receive(message);
      },
    });
  }

  /**
   * Subscribes, and resolves once the NATS server has the subscription (a flush is a round trip
   * after it): from then on the subject is routable, as `RpcServer.start` promises for its own.
   */
  static async serve<S extends RpcSubject>(options: RpcRouteOptions<S>): Promise<RpcRoute<S>> {
    const route = new RpcRoute(options);
    await options.nc.flush();
    return route;
  }

  /**
   * Stops taking requests (the queue group sends new ones to other instances) and resolves once
   * those in flight are answered. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.options.nc.isClosed()) await this.subscription.drain().catch(() => undefined);
      await Promise.all([...this.inFlight]);
    })();
    return this.closing;
  }

  private receive(message: Msg): void {
    // Nobody to answer: Nest would run the handler and drop the reply.
    if (!message.reply) return;
    const started = performance.now();
    const body = readRequestBody(message);
    if (!body.readable) return this.send(message, NOT_JSON_REPLY);
    const id = nestRequestId(body.value);
    if (id === undefined) return this.send(message, MISSHAPEN_REPLY);
    const { pattern, data } = body.value as { pattern?: unknown; data?: unknown };
    // Nest's deserializer takes a body with neither for an event, which is never answered.
    if (pattern === undefined && data === undefined) return;
    let answer: RpcRouteAnswer<S> | Promise<RpcRouteAnswer<S>>;
    try {
      answer = this.options.handle(this.contract.transform(data));
    } catch (error) {
      return this.fail(message, id, data, started, error);
    }
    if (!(answer instanceof Promise)) return this.succeed(message, id, data, started, answer);
    const work = answer.then(
      (value) => this.succeed(message, id, data, started, value),
      (error: unknown) => this.fail(message, id, data, started, error),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private succeed(
    message: Msg,
    id: NestRequestId,
    data: unknown,
    started: number,
    answer: RpcRouteAnswer<S>,
  ): void {
    this.send(
      message,
      answer instanceof SerializedReply
        ? frameResponseJson(answer.json ?? answer.bytes, id)
        : frameResponse(answer, id),
    );
    this.options.onAnswered?.({ data, seconds: (performance.now() - started) / 1000 });
  }

  /** Answers as Nest's RPC exception filter does, and logs what it logs (unexpected errors). */
  private fail(message: Msg, id: NestRequestId, data: unknown, started: number, error: unknown) {
    let err: unknown;
    // The filter answers with an observable that fails at once with the reply's `err`.
    this.errors.catch(error, undefined as never).subscribe({
      error: (value: unknown) => {
        err = value;
      },
    });
    this.send(message, frameError(err, id));
    const code = (err as { code?: unknown } | undefined)?.code;
    this.options.onAnswered?.({
      data,
      seconds: (performance.now() - started) / 1000,
      errorCode: typeof code === 'string' ? code : 'internal',
    });
  }

  private send(message: Msg, reply: Uint8Array | string): void {
    try {
      message.respond(reply);
    } catch (error) {
      // The connection is closing: the caller's deadline answers it.
      RpcRoute.logger.warn(`${this.options.subject}: reply not sent: ${(error as Error).message}`);
    }
  }
}
