import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { signalPattern, validateEnvelope, type AnyEnvelope, type EventType } from '@oo/contracts';
import type { Logger } from 'pino';
import type { MessagingMetrics } from '../metrics.js';
import { ensureDurableConsumer } from '../provisioning.js';
import type { Topology } from '../topology.js';
import { DeadLetterWriter, undeliverable } from './dead-letter.js';
import { Pause } from './pause.js';
import {
  backoffDelay,
  InvalidEventError,
  type BackoffPolicy,
  type DeadLetterKind,
} from './errors.js';
import { Semaphore } from './semaphore.js';

/** What a handler knows about the message besides the envelope. */
export interface EventContext {
  /** Contract subject, e.g. `signals.tip.feedback.u1` (no namespace). */
  subject: string;
  stream: string;
  streamSequence: number;
  deliveryCount: number;
  headers: MsgHdrs | undefined;
}

export type EventHandler = (envelope: AnyEnvelope, context: EventContext) => Promise<void>;

export interface EventConsumerSettings {
  /** Handlers running at once in this instance. */
  concurrency: number;
  /** Deliveries before a failing message is dead-lettered. */
  maxDeliver: number;
  ackWaitMs: number;
  backoff: BackoffPolicy;
  /** Where a brand-new durable starts reading. */
  deliverFrom: 'all' | 'new';
  /** How often lag is sampled and a stalled pull is restarted. */
  watchdogMs: number;
}

export const DEFAULT_CONSUMER_SETTINGS: EventConsumerSettings = {
  concurrency: 32,
  maxDeliver: 10,
  ackWaitMs: 30_000,
  backoff: { initialMs: 500, maxMs: 60_000 },
  deliverFrom: 'all',
  watchdogMs: 15_000,
};

export interface EventConsumerOptions {
  service: string;
  type: EventType;
  handler: EventHandler;
  settings?: Partial<EventConsumerSettings>;
  /** Defaults to `<service>__<type>`; one durable per (service, event type), shared by its instances. */
  durable?: string;
}

const decoder = new TextDecoder();

/**
 * One durable pull consumer of one event type: validate → handle → ack. A transient failure is
 * nak'ed with back-off; an invalid message (or one past max deliveries) is copied to the
 * dead-letter stream and terminated. Nothing is dropped silently.
 */
export class EventConsumer {
  readonly durable: string;
  private readonly settings: EventConsumerSettings;
  private readonly slots: Semaphore;
  private readonly inFlight = new Map<JsMsg, number>();
  private readonly deadLetters: DeadLetterWriter;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly pause = new Pause();
  private lastDeliveryAt = Date.now();
  // Acks of one event-loop turn go out together: the client writes what was queued within one
  // microtask as one socket write, and a write per ack was the consumer's largest cost.
  private readonly pendingAcks: JsMsg[] = [];
  private ackFlushScheduled = false;
  private readonly acked: { inc(): void } | undefined;
  private readonly redelivered: { inc(): void } | undefined;
  private readonly handlerTimer: { observe(seconds: number): void } | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
    private readonly options: EventConsumerOptions,
    private readonly logger: Logger,
    private readonly metrics?: MessagingMetrics,
  ) {
    this.durable = options.durable ?? `${options.service}__${options.type.replace(/\./g, '_')}`;
    this.settings = { ...DEFAULT_CONSUMER_SETTINGS, ...options.settings };
    this.slots = new Semaphore(this.settings.concurrency);
    this.deadLetters = new DeadLetterWriter(js, topology, options.service);
    this.acked = metrics?.handled.labels({ consumer: this.durable, outcome: 'ack' });
    this.redelivered = metrics?.redeliveries.labels({ consumer: this.durable });
    this.handlerTimer = metrics?.handlerSeconds.labels({ consumer: this.durable });
  }

  async start(): Promise<void> {
    await this.provision();
    this.loop = this.run();
    this.watchdog = setInterval(() => void this.watch(), this.settings.watchdogMs);
    this.watchdog.unref();
  }

  /** Stops pulling, hands back what was pulled but not started, lets running handlers finish and ack. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pause.interrupt();
    clearInterval(this.watchdog);
    await this.messages?.close();
    await this.loop;
    await this.slots.whenIdle();
    this.flushAcks();
  }

  private provision(): Promise<void> {
    return ensureDurableConsumer(this.jsm, this.topology.signalsStream, {
      durable: this.durable,
      filterSubject: this.topology.wire(signalPattern(this.options.type)),
      maxDeliver: this.settings.maxDeliver,
      ackWaitMs: this.settings.ackWaitMs,
      maxAckPending: Math.max(1000, this.settings.concurrency * 4),
      deliverFrom: this.settings.deliverFrom,
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const consumer = await this.js.consumers.get(this.topology.signalsStream, this.durable);
        this.messages = await consumer.consume({ max_messages: this.settings.concurrency * 2 });
        void this.watchStatus(this.messages);
        for await (const msg of this.messages) {
          this.lastDeliveryAt = Date.now();
          if (this.stopping) {
            // Pulled but never started: hand it straight back so another instance takes it now.
            msg.nak();
            continue;
          }
          failures = 0;
          await this.slots.acquire();
          if (this.stopping) {
            // Waited for a slot while the stop began: never started, so handed back as well.
            this.slots.release();
            msg.nak();
            continue;
          }
          this.process(msg).catch((error: unknown) =>
            this.logger.error({ err: error, consumer: this.durable }, 'could not settle a message'),
          );
        }
      } catch (error) {
        if (this.stopping) break;
        this.logger.error(
          { err: error, consumer: this.durable },
          'consumer loop failed; restarting',
        );
        failures += 1;
        await this.pause.for(backoffDelay(failures, this.settings.backoff));
      }
    }
  }

  private async watchStatus(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found') {
        this.logger.warn(
          { consumer: this.durable, status: status.type },
          'durable consumer lost; recreating',
        );
        await this.provision().catch((error: unknown) =>
          this.logger.error({ err: error, consumer: this.durable }, 'could not recreate consumer'),
        );
      } else if (status.type === 'heartbeats_missed' && status.count >= 3) {
        this.logger.warn({ consumer: this.durable, missed: status.count }, 'heartbeats missed');
      }
    }
  }

  /** Samples lag, keeps slow handlers' messages alive, and restarts a pull that stopped delivering. */
  private async watch(): Promise<void> {
    const now = Date.now();
    for (const [msg, startedAt] of this.inFlight) {
      if (now - startedAt > this.settings.ackWaitMs / 3) msg.working();
    }
    try {
      const info = await this.jsm.consumers.info(this.topology.signalsStream, this.durable);
      this.metrics?.pending.set({ consumer: this.durable }, info.num_pending);
      this.metrics?.ackPending.set({ consumer: this.durable }, info.num_ack_pending);
      const idle = now - this.lastDeliveryAt > this.settings.watchdogMs * 2;
      if (
        idle &&
        info.num_pending > 0 &&
        this.slots.inUse < this.settings.concurrency &&
        !this.stopping
      ) {
        this.logger.warn(
          { consumer: this.durable, pending: info.num_pending },
          'pull stalled; restarting',
        );
        this.lastDeliveryAt = now;
        await this.messages?.close();
      }
    } catch (error) {
      this.logger.warn(
        { err: error, consumer: this.durable },
        'watchdog could not read consumer info',
      );
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    const started = performance.now();
    this.inFlight.set(msg, Date.now());
    try {
      const info = msg.info;
      if (info.deliveryCount > 1) this.redelivered?.inc();
      const subject = this.topology.contract(msg.subject);
      let parsed: unknown;
      try {
        parsed = JSON.parse(decoder.decode(msg.data));
      } catch (error) {
        return await this.deadLetter(
          msg,
          'invalid_json',
          `payload is not JSON: ${(error as Error).message}`,
        );
      }
      const checked = validateEnvelope(parsed, subject);
      if (!checked.ok) {
        const { field, message } = checked.error;
        return await this.deadLetter(msg, 'invalid_schema', `${field || 'envelope'} ${message}`);
      }
      const envelope = checked.value;
      try {
        await this.options.handler(envelope, {
          subject,
          stream: info.stream,
          streamSequence: info.streamSequence,
          deliveryCount: info.deliveryCount,
          // Decoding headers costs; only handlers that read them pay for it.
          get headers() {
            return msg.headers;
          },
        });
        this.ack(msg);
      } catch (error) {
        await this.onHandlerError(msg, envelope, error);
      }
    } finally {
      this.inFlight.delete(msg);
      this.handlerTimer?.observe((performance.now() - started) / 1000);
      this.slots.release();
    }
  }

  private ack(msg: JsMsg): void {
    this.pendingAcks.push(msg);
    this.acked?.inc();
    if (!this.ackFlushScheduled) {
      this.ackFlushScheduled = true;
      setImmediate(() => this.flushAcks());
    }
  }

  private flushAcks(): void {
    this.ackFlushScheduled = false;
    for (const msg of this.pendingAcks.splice(0)) msg.ack();
  }

  private async onHandlerError(msg: JsMsg, envelope: AnyEnvelope, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const ids = { consumer: this.durable, eventId: envelope.id, userId: envelope.userId };
    if (error instanceof InvalidEventError) {
      return this.deadLetter(msg, 'rejected', message);
    }
    const { deliveryCount } = msg.info;
    if (deliveryCount >= this.settings.maxDeliver) {
      return this.deadLetter(
        msg,
        'max_deliveries',
        `gave up after ${deliveryCount} deliveries: ${message}`,
      );
    }
    const delay = backoffDelay(deliveryCount, this.settings.backoff);
    this.logger.warn(
      { ...ids, err: error, deliveryCount, retryInMs: delay },
      'handler failed; will retry',
    );
    msg.nak(delay);
    this.metrics?.handled.inc({ consumer: this.durable, outcome: 'nak' });
  }

  private async deadLetter(msg: JsMsg, kind: DeadLetterKind, reason: string): Promise<void> {
    try {
      await this.deadLetters.write(undeliverable(msg), this.durable, kind, reason);
    } catch (error) {
      // Could not keep a copy: keep the original instead, and try again later.
      this.logger.error(
        { err: error, consumer: this.durable },
        'dead-letter write failed; will retry',
      );
      msg.nak(backoffDelay(msg.info.deliveryCount, this.settings.backoff));
      this.metrics?.handled.inc({ consumer: this.durable, outcome: 'nak' });
      return;
    }
    this.logger.warn(
      { consumer: this.durable, kind, reason, streamSequence: msg.info.streamSequence },
      'message dead-lettered',
    );
    msg.term(reason.slice(0, 256));
    this.metrics?.handled.inc({ consumer: this.durable, outcome: 'dead_letter' });
    this.metrics?.deadLetters.inc({ consumer: this.durable, reason: kind });
  }
}
