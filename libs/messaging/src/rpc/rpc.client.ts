import type { NatsConnection } from '@nats-io/transport-node';
import type { RpcError, RpcMap, RpcSubject } from '@oo/contracts';
import type { Topology } from '../topology.js';
import { withoutStackTraces } from '../stackless.js';

/** A failed call: the service answered `err`, did not answer in time, or nobody listens. */
export class RpcCallError extends Error {
  constructor(
    readonly subject: string,
    readonly code: RpcError['code'] | 'timeout' | 'no_responders',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }
}

interface NestReply {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let nextId = 0;

/** Calls `@MessagePattern` handlers with Nest's wire format (`{pattern, data, id}`), with a deadline. */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly topology: Topology,
  ) {}

  async call<S extends RpcSubject>(
    subject: S,
    data: RpcMap[S]['request'],
    timeoutMs = 1000,
  ): Promise<RpcMap[S]['response']> {
    const id = `${process.pid}-${(nextId += 1)}`;
    const body = encoder.encode(JSON.stringify({ pattern: subject, data, id }));
    let raw: Uint8Array;
    try {
      raw = (
        await withoutStackTraces(() =>
          this.nc.request(this.topology.wire(subject), body, { timeout: timeoutMs }),
        )
      ).data;
    } catch (error) {
      const text = String(error);
      if (/no responders|503/i.test(text)) {
        throw new RpcCallError(subject, 'no_responders', `${subject}: no instance is listening`);
      }
      if (/timeout/i.test(text)) {
        throw new RpcCallError(subject, 'timeout', `${subject}: no answer within ${timeoutMs} ms`);
      }
      throw error;
    }
    const reply = JSON.parse(decoder.decode(raw)) as NestReply;
    if (reply.err !== undefined && reply.err !== null) throw toCallError(subject, reply.err);
    return reply.response as RpcMap[S]['response'];
  }
}

function toCallError(subject: string, err: unknown): RpcCallError {
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const { code, message, field } = err as Partial<RpcError>;
    const known = code ?? 'internal';
    return new RpcCallError(subject, known, String(message), field);
  }
  return new RpcCallError(subject, 'internal', String(err));
}
