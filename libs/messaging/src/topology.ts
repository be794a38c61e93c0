import {
  ADVISORIES_STREAM,
  DEADLETTER_ROOT,
  DEADLETTER_STREAM,
  MAX_DELIVERIES_ADVISORY_PREFIX,
  SIGNALS_ROOT,
  SIGNALS_STREAM,
} from '@oo/contracts';

/**
 * The names one deployment uses on NATS. With an empty namespace they are exactly the contract
 * names (SIGNALS, `signals.>`, `rpc.scorer.score`); a namespace prefixes every stream, subject
 * and RPC subject, so tests and previews share one server without seeing each other.
 */
export class Topology {
  readonly signalsStream: string;
  readonly deadLetterStream: string;
  readonly advisoryStream: string;
  private readonly prefix: string;

  constructor(readonly namespace = '') {
    if (!/^[a-z0-9_]*$/.test(namespace)) throw new Error(`Invalid namespace ${namespace}`);
    this.prefix = namespace ? `${namespace}.` : '';
    const stream = (name: string): string =>
      namespace ? `${namespace.toUpperCase()}_${name}` : name;
    this.signalsStream = stream(SIGNALS_STREAM);
    this.deadLetterStream = stream(DEADLETTER_STREAM);
    this.advisoryStream = stream(ADVISORIES_STREAM);
  }

  /** Every stream this deployment provisions (what a test deletes when it is done). */
  get streams(): string[] {
    return [this.signalsStream, this.deadLetterStream, this.advisoryStream];
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

  /**
   * The server's advisories for messages of SIGNALS that reached a consumer's delivery limit.
   * Server subjects are not namespaced; the (namespaced) stream name in them keeps tests apart.
   */
  get maxDeliveriesAdvisoryFilter(): string {
    return `${MAX_DELIVERIES_ADVISORY_PREFIX}.${this.signalsStream}.>`;
  }
}
