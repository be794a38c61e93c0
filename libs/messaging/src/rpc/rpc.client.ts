import type { NatsConnection } from '@nats-io/transport-node';
import type { RpcError, RpcMap, RpcSubject } from '@oo/contracts';
import type { Topology } from '../topology.js';
import { NoReplyError, ReplyInbox } from './reply-inbox.js';

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
  private inbox: ReplyInbox | undefined;

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
      if (!this.inbox?.usable) this.inbox = new ReplyInbox(this.nc);
      raw = await this.inbox.request(this.topology.wire(subject), body, timeoutMs);
    } catch (error) {
      if (!(error instanceof NoReplyError) || error.reason === 'closed') throw error;
      if (error.reason === 'no_responders') {
        throw new RpcCallError(subject, 'no_responders', `${subject}: no instance is listening`);
      }
      throw new RpcCallError(subject, 'timeout', `${subject}: no answer within ${timeoutMs} ms`);
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
