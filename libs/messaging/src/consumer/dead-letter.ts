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

/** Copies a message a consumer gives up on to `deadletter.<service>.<original subject>`. */
export class DeadLetterWriter {
  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly service: string,
  ) {}

  async write(msg: JsMsg, durable: string, kind: DeadLetterKind, reason: string): Promise<void> {
    const original = this.topology.contract(msg.subject);
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1024));
    headers.set(DEAD_LETTER_HEADERS.kind, kind);
    headers.set(DEAD_LETTER_HEADERS.subject, original);
    headers.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
    headers.set(DEAD_LETTER_HEADERS.sequence, String(msg.info.streamSequence));
    headers.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
    headers.set(DEAD_LETTER_HEADERS.consumer, durable);
    // One dead letter per (consumer, original message), however often we get here.
    headers.set('Nats-Msg-Id', `dl:${durable}:${msg.info.stream}:${msg.info.streamSequence}`);
    await this.js.publish(this.topology.wire(deadLetterSubject(this.service, original)), msg.data, {
      headers,
      expect: { streamName: this.topology.deadLetterStream },
    });
  }
}
