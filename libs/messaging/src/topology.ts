import { DEADLETTER_ROOT, DEADLETTER_STREAM, SIGNALS_ROOT, SIGNALS_STREAM } from '@oo/contracts';

/**
 * The names one deployment uses on NATS. With an empty namespace they are exactly the contract
 * names (SIGNALS, `signals.>`, `rpc.scorer.score`); a namespace prefixes every stream, subject
 * and RPC subject, so tests and previews share one server without seeing each other.
 */
export class Topology {
  readonly signalsStream: string;
  readonly deadLetterStream: string;
  private readonly prefix: string;

  constructor(readonly namespace = '') {
    if (!/^[a-z0-9_]*$/.test(namespace)) throw new Error(`Invalid namespace ${namespace}`);
    this.prefix = namespace ? `${namespace}.` : '';
    this.signalsStream = namespace
      ? `${namespace.toUpperCase()}_${SIGNALS_STREAM}`
      : SIGNALS_STREAM;
    this.deadLetterStream = namespace
      ? `${namespace.toUpperCase()}_${DEADLETTER_STREAM}`
      : DEADLETTER_STREAM;
  }

  /** Contract subject → subject on the wire. */
  wire(subject: string): string {
    return `${this.prefix}${subject}`;
  }

  /** Subject on the wire → contract subject. */
  contract(wireSubject: string): string {
    return this.prefix && wireSubject.startsWith(this.prefix)
      ? wireSubject.slice(this.prefix.length)
      : wireSubject;
  }

  get signalsFilter(): string {
    return this.wire(`${SIGNALS_ROOT}.>`);
  }

  get deadLetterFilter(): string {
    return this.wire(`${DEADLETTER_ROOT}.>`);
  }
}
