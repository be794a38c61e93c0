import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';

/** Why a request got no reply: its deadline passed, nobody listens, or the connection closed. */
export type NoReply = 'timeout' | 'no_responders' | 'closed';

const MESSAGES: Record<NoReply, string> = {
  timeout: 'no reply before the deadline',
  no_responders: 'no responders',
  closed: 'the NATS connection closed before the reply',
};

export class NoReplyError extends Error {
  constructor(readonly reason: NoReply) {
    super(MESSAGES[reason]);
    this.name = 'NoReplyError';
  }
}

interface Pending {
  resolve(data: Uint8Array): void;
  reject(error: NoReplyError): void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one wildcard inbox subscription, as `nc.request` does, without its cost:
 * nats.js builds a RequestError (with a stack trace) and a TimeoutError up front on every
 * request and another RequestError on every reply (`cancel` after resolving), ~50 µs of CPU per
 * call through a deep async stack — more than the rest of a gateway request's RPC. The wire is
 * the same: a publish with a reply subject `<inbox>.<token>`; the server's no-responders status
 * (an empty message with header code 503) answers at once when nobody subscribes.
 */
export class ReplyInbox {
  private readonly prefix: string;
  private readonly pending = new Map<string, Pending>();
  private nextToken = 0;
  private open = true;

  constructor(private readonly nc: NatsConnection) {
    this.prefix = `${createInbox()}.`;
    const subscription = nc.subscribe(`${this.prefix}*`, {
      callback: (error, message) => {
        if (!error) this.settle(message);
      },
    });
    // The server can end the subscription (a permissions change, a slow consumer): every later
    // call would wait out its deadline for replies that never come, so the owner opens a new one.
    void subscription.closed.then(
      () => this.close(),
      () => this.close(),
    );
    void nc.closed().then(() => this.close());
  }

  /** False once its subscription or the connection has ended: replies can no longer arrive. */
  get usable(): boolean {
    return this.open;
  }

  private close(): void {
    this.open = false;
    for (const [token, call] of this.pending) this.fail(token, call, 'closed');
  }

  /** Publishes `data` to `subject` and resolves with the reply's bytes. */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const token = (this.nextToken += 1).toString(36);
    // Throws at once on a closed connection. The reply cannot overtake the registration below:
    // replies are read from the socket in a later turn of the event loop.
    this.nc.publish(subject, data, { reply: `${this.prefix}${token}` });
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        const call = this.pending.get(token);
        if (call) this.fail(token, call, 'timeout');
      }, timeoutMs);
      this.pending.set(token, { resolve, reject, timer });
    });
  }

  private settle(message: Msg): void {
    const token = message.subject.slice(this.prefix.length);
    const call = this.pending.get(token);
    if (!call) return; // late: its deadline already answered
    if (message.data.length === 0 && message.headers?.code === 503) {
      this.fail(token, call, 'no_responders');
      return;
    }
    clearTimeout(call.timer);
    this.pending.delete(token);
    call.resolve(message.data);
  }

  private fail(token: string, call: Pending, reason: NoReply): void {
    clearTimeout(call.timer);
    this.pending.delete(token);
    call.reject(new NoReplyError(reason));
  }
}
