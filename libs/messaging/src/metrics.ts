import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type HandlerOutcome = 'ack' | 'nak' | 'dead_letter';

/** What an operator needs to see of messaging on /metrics. */
export class MessagingMetrics {
  readonly published: Counter<'type' | 'duplicate'>;
  readonly handled: Counter<'consumer' | 'outcome'>;
  readonly deadLetters: Counter<'consumer' | 'reason'>;
  readonly handlerSeconds: Histogram<'consumer'>;
  readonly pending: Gauge<'consumer'>;
  readonly ackPending: Gauge<'consumer'>;
  readonly redeliveries: Counter<'consumer'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'oo_events_published_total',
      help: 'Signals published, by type; duplicate=true when the stream dropped a re-publish.',
      labelNames: ['type', 'duplicate'],
      registers,
    });
    this.handled = new Counter({
      name: 'oo_events_handled_total',
      help: 'Messages a consumer finished with, by outcome (ack, nak, dead_letter).',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'oo_dead_letters_total',
      help: 'Messages copied to DEADLETTER, by reason kind.',
      labelNames: ['consumer', 'reason'],
      registers,
    });
    this.handlerSeconds = new Histogram({
      name: 'oo_event_handler_duration_seconds',
      help: 'Time from receiving a message to its ack or nak.',
      labelNames: ['consumer'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.pending = new Gauge({
      name: 'oo_consumer_pending_messages',
      help: 'Consumer lag: messages in the stream not yet delivered to the consumer.',
      labelNames: ['consumer'],
      registers,
    });
    this.ackPending = new Gauge({
      name: 'oo_consumer_ack_pending_messages',
      help: 'Messages delivered and not yet acknowledged.',
      labelNames: ['consumer'],
      registers,
    });
    this.redeliveries = new Counter({
      name: 'oo_events_redelivered_total',
      help: 'Messages received again (delivery count > 1).',
      labelNames: ['consumer'],
      registers,
    });
  }
}
