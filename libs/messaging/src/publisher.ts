import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  createEnvelope,
  signalSubject,
  validateEnvelope,
  type Envelope,
  type EnvelopeOptions,
  type EventDataMap,
  type EventType,
} from '@oo/contracts';
import type { MessagingMetrics } from './metrics.js';
import type { Topology } from './topology.js';

export interface PublishResult<T extends EventType = EventType> {
  envelope: Envelope<T>;
  /** Sequence in the SIGNALS stream. */
  seq: number;
  /** True when the stream already held this envelope id (within its duplicate window). */
  duplicate: boolean;
}

const encoder = new TextEncoder();

/**
 * Publishes signals: builds and validates the envelope, sets `Nats-Msg-Id` to its id so the
 * stream drops a re-publish, and resolves only once JetStream has stored it.
 */
export class EventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly metrics?: MessagingMetrics,
  ) {}

  publish<T extends EventType>(
    type: T,
    userId: string,
    data: EventDataMap[T],
    options?: EnvelopeOptions,
  ): Promise<PublishResult<T>> {
    return this.publishEnvelope(createEnvelope(type, userId, data, options));
  }

  /** Publishes an envelope as it is (same id): how replays and retries stay idempotent. */
  async publishEnvelope<T extends EventType>(envelope: Envelope<T>): Promise<PublishResult<T>> {
    const subject = signalSubject(envelope.type, envelope.userId);
    const checked = validateEnvelope(envelope, subject);
    if (!checked.ok) {
      throw new Error(
        `Refusing to publish an invalid ${envelope.type}: ${checked.error.field} ${checked.error.message}`,
      );
    }
    const headers = natsHeaders();
    headers.set('Nats-Msg-Id', envelope.id);
    const ack = await this.js.publish(
      this.topology.wire(subject),
      encoder.encode(JSON.stringify(envelope)),
      {
        headers,
        expect: { streamName: this.topology.signalsStream },
      },
    );
    this.metrics?.published.inc({ type: envelope.type, duplicate: String(ack.duplicate) });
    return { envelope, seq: ack.seq, duplicate: ack.duplicate };
  }
}
