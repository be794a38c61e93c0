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
import { DeadLetterWriter } from './consumer/dead-letter.js';
import type { MessagingMetrics } from './metrics.js';
import { withoutStackTraces } from './stackless.js';
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
 * The event breaks its contract (schemas/events), so no retry can ever publish it: the caller
 * gives up on it — `EventPublisher.deadLetter` keeps it, with the reason, for an operator —
 * instead of trying again. Any other publish error is transient (JetStream away, a timeout).
 */
export class UnpublishableEventError extends Error {
  constructor(
    readonly envelope: Envelope,
    /** The offending field, as a JSON path (`data.propensity`). */
    readonly field: string,
    readonly violation: string,
  ) {
    super(`Refusing to publish an invalid ${envelope.type}: ${field} ${violation}`);
    this.name = 'UnpublishableEventError';
  }
}

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
      throw new UnpublishableEventError(envelope, checked.error.field, checked.error.message);
    }
    const headers = natsHeaders();
    headers.set('Nats-Msg-Id', envelope.id);
    const ack = await withoutStackTraces(() =>
      this.js.publish(this.topology.wire(subject), encoder.encode(JSON.stringify(envelope)), {
        headers,
        expect: { streamName: this.topology.signalsStream },
      }),
    );
    this.metrics?.published.inc({ type: envelope.type, duplicate: String(ack.duplicate) });
    return { envelope, seq: ack.seq, duplicate: ack.duplicate };
  }

  /**
   * Keeps an event this service could not publish (`UnpublishableEventError`) in the
   * dead-letter stream, at `deadletter.<service>.<its subject>`, with the reason: nothing is
   * dropped silently, and the caller can stop retrying it. Writing it again is one letter.
   */
  deadLetter(error: UnpublishableEventError, service: string): Promise<void> {
    return new DeadLetterWriter(this.js, this.topology, service).writeUnpublishable(
      error.envelope,
      signalSubject(error.envelope.type, error.envelope.userId),
      error.message,
    );
  }
}
