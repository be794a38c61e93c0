import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { deadLetterSubject } from '@oo/contracts';
import type { Topology } from '../topology.js';
import type { DeadLetterKind } from './errors.js';

/** Headers on a dead letter. WARNING: the operators' replay tool reads these; never rename. */
export const DEAD_LETTER_HEADERS = {
  reason: 'Oo-Dead-Letter-Reason',
  kind: 'Oo-Dead-Letter-Kind',
  subject: 'Oo-Original-Subject',
  stream: 'Oo-Original-Stream',
  sequence: 'Oo-Original-Sequence',
  deliveries: 'Oo-Deliveries',
  consumer: 'Oo-Consumer',
} as const;

/**
 * The kind of a dead letter the publishing service wrote itself: an event it built but could
 * not publish, because it breaks its contract. It never reached a stream, so its stream,
 * sequence and deliveries headers are empty / 0, and its consumer header is `publisher`.
 */
export const UNPUBLISHABLE_KIND = 'unpublishable';

/** The message given up on, as a delivery or as read back from its stream. */
export interface UndeliverableMessage {
  /** Subject on the wire. */
  subject: string;
  data: Uint8Array;
  stream: string;
  streamSequence: number;
  deliveries: number;
}

export function undeliverable(msg: JsMsg): UndeliverableMessage {
  const { stream, streamSequence, deliveryCount } = msg.info;
  return {
    subject: msg.subject,
    data: msg.data,
    stream,
    streamSequence,
    deliveries: deliveryCount,
  };
}

/** Copies a message a consumer gives up on to `deadletter.<service>.<original subject>`. */
export class DeadLetterWriter {
  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly service: string,
  ) {}

  async write(
    message: UndeliverableMessage,
    durable: string,
    kind: DeadLetterKind,
    reason: string,
  ): Promise<void> {
    const original = this.topology.contract(message.subject);
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1024));
    headers.set(DEAD_LETTER_HEADERS.kind, kind);
    headers.set(DEAD_LETTER_HEADERS.subject, original);
    headers.set(DEAD_LETTER_HEADERS.stream, message.stream);
    headers.set(DEAD_LETTER_HEADERS.sequence, String(message.streamSequence));
    headers.set(DEAD_LETTER_HEADERS.deliveries, String(message.deliveries));
    headers.set(DEAD_LETTER_HEADERS.consumer, durable);
    // One dead letter per (consumer, original message), however often and by whichever path
    // (the consumer itself, or the delivery-limit watcher) we get here.
    headers.set('Nats-Msg-Id', `dl:${durable}:${message.stream}:${message.streamSequence}`);
    await this.js.publish(
      this.topology.wire(deadLetterSubject(this.service, original)),
      message.data,
      { headers, expect: { streamName: this.topology.deadLetterStream } },
    );
  }

  /**
   * Keeps an event that could not be published (it breaks its contract) under
   * `deadletter.<service>.<subject>`; the body is the envelope as it would have been sent.
   */
  async writeUnpublishable(
    envelope: { id: string },
    subject: string,
    reason: string,
  ): Promise<void> {
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1024));
    headers.set(DEAD_LETTER_HEADERS.kind, UNPUBLISHABLE_KIND);
    headers.set(DEAD_LETTER_HEADERS.subject, subject);
    headers.set(DEAD_LETTER_HEADERS.stream, '');
    headers.set(DEAD_LETTER_HEADERS.sequence, '0');
    headers.set(DEAD_LETTER_HEADERS.deliveries, '0');
    headers.set(DEAD_LETTER_HEADERS.consumer, 'publisher');
    // A retry after a crash between this write and the caller's mark writes no second letter.
    headers.set('Nats-Msg-Id', `dl:publish:${envelope.id}`);
    await this.js.publish(
      this.topology.wire(deadLetterSubject(this.service, subject)),
      encoder.encode(JSON.stringify(envelope)),
      { headers, expect: { streamName: this.topology.deadLetterStream } },
    );
  }
}

const encoder = new TextEncoder();
