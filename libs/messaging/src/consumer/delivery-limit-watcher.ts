import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { MessagingMetrics } from '../metrics.js';
import { ensureDurableConsumer } from '../provisioning.js';
import type { Topology } from '../topology.js';
import { DeadLetterWriter } from './dead-letter.js';
import { backoffDelay, type BackoffPolicy } from './errors.js';
import { Pause } from './pause.js';

/** The payload of `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`. */
interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

export interface DeliveryLimitWatcherOptions {
  service: string;
  /** Durables of this service: only their advisories are this watcher's to act on. */
  consumers: ReadonlySet<string>;
  backoff?: BackoffPolicy;
}

const decoder = new TextDecoder();

/**
 * Dead-letters the messages JetStream gave up on by itself. When every delivery of a message
 * ended without an ack or a nak (the process died mid-handle), the consumer never sees the
 * last one fail; the server stops delivering it and only raises a MAX_DELIVERIES advisory.
 * ADVISORIES keeps those advisories; this durable (one per service, shared by its instances)
 * reads them, fetches the original from SIGNALS by sequence and copies it to DEADLETTER with
 * kind `max_deliveries`. An advisory raised while the service was down waits in the stream.
 */
export class DeliveryLimitWatcher {
  readonly durable: string;
  private readonly deadLetters: DeadLetterWriter;
  private readonly backoff: BackoffPolicy;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly pause = new Pause();

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
    private readonly options: DeliveryLimitWatcherOptions,
    private readonly logger: Logger,
    private readonly metrics?: MessagingMetrics,
  ) {
    this.durable = `${options.service}__max_deliveries`;
    this.deadLetters = new DeadLetterWriter(js, topology, options.service);
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 60_000 };
  }

  async start(): Promise<void> {
    await ensureDurableConsumer(this.jsm, this.topology.advisoryStream, {
      durable: this.durable,
      filterSubject: this.topology.maxDeliveriesAdvisoryFilter,
      // A copy that cannot be written yet is retried for as long as it takes.
      maxDeliver: -1,
      ackWaitMs: 30_000,
      maxAckPending: 100,
      deliverFrom: 'all',
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.pause.interrupt();
    await this.messages?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const consumer = await this.js.consumers.get(this.topology.advisoryStream, this.durable);
        this.messages = await consumer.consume({ max_messages: 16 });
        for await (const msg of this.messages) {
          failures = 0;
          // Advisories are rare: one at a time keeps this simple.
          if (this.stopping) msg.nak();
          else await this.settle(msg);
        }
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.logger.error({ err: error, consumer: this.durable }, 'advisory loop failed');
        await this.pause.for(backoffDelay(failures, this.backoff));
      }
    }
  }

  private async settle(msg: JsMsg): Promise<void> {
    let advisory: MaxDeliveriesAdvisory;
    try {
      advisory = JSON.parse(decoder.decode(msg.data)) as MaxDeliveriesAdvisory;
    } catch {
      this.logger.error({ subject: msg.subject }, 'unreadable delivery-limit advisory');
      return msg.term();
    }
    if (
      advisory.stream !== this.topology.signalsStream ||
      !this.options.consumers.has(advisory.consumer)
    ) {
      return msg.ack(); // another service's consumer: its own watcher copies it
    }
    try {
      await this.deadLetter(advisory);
      msg.ack();
    } catch (error) {
      this.logger.error(
        { err: error, consumer: advisory.consumer, streamSequence: advisory.stream_seq },
        'could not dead-letter a message past its delivery limit; will retry',
      );
      msg.nak(backoffDelay(msg.info.deliveryCount, this.backoff));
    }
  }

  private async deadLetter(advisory: MaxDeliveriesAdvisory): Promise<void> {
    const { stream, consumer, stream_seq: streamSequence, deliveries } = advisory;
    const original = await this.jsm.streams.getMessage(stream, { seq: streamSequence });
    if (!original) {
      // Purged (an account deletion) or aged out: nothing is left to keep.
      this.logger.warn(
        { consumer, streamSequence },
        'message past its delivery limit is no longer in the stream',
      );
      return;
    }
    const reason =
      `delivery limit reached: ${deliveries} deliveries without an ack or a nak ` +
      '(the consumer process died or hung while handling it)';
    await this.deadLetters.write(
      { subject: original.subject, data: original.data, stream, streamSequence, deliveries },
      consumer,
      'max_deliveries',
      reason,
    );
    this.logger.warn({ consumer, streamSequence, deliveries }, 'message dead-lettered');
    this.metrics?.deadLetters.inc({ consumer, reason: 'max_deliveries' });
  }
}
