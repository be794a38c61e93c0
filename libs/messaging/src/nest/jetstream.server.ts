import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { isEventType } from '@oo/contracts';
import type { Logger } from 'pino';
import { lastValueFrom } from 'rxjs';
import { DeliveryLimitWatcher } from '../consumer/delivery-limit-watcher.js';
import { EventConsumer, type EventConsumerSettings } from '../consumer/event-consumer.js';
import type { MessagingMetrics } from '../metrics.js';
import type { Topology } from '../topology.js';
import { JetStreamContext } from './jetstream.context.js';

export const JETSTREAM_TRANSPORT = Symbol('jetstream');

export interface JetStreamServerOptions {
  service: string;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  logger: Logger;
  metrics?: MessagingMetrics;
  settings?: Partial<EventConsumerSettings>;
}

/** Per-handler settings, given as the `extras` of `@EventPattern(pattern, extras)`. */
export type EventPatternExtras = Partial<EventConsumerSettings>;

const PATTERN = /^signals\.([a-z_]+\.[a-z_]+)\.\*$/;

/**
 * Binds every `@EventPattern('signals.<domain>.<event>.*')` handler to its own durable
 * JetStream pull consumer, and watches those consumers' delivery limits (a message whose
 * deliveries all crashed the process goes to DEADLETTER too). `@MessagePattern` handlers are
 * left to the RPC server.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;
  override readonly propagatesEventHandlerErrors = true;
  private readonly consumers: EventConsumer[] = [];
  private watcher: DeliveryLimitWatcher | undefined;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        if (!handler.isEventHandler) continue;
        this.consumers.push(this.createConsumer(pattern, handler));
      }
      if (this.consumers.length > 0) {
        const { service, js, jsm, topology, logger, metrics } = this.options;
        const consumers = new Set(this.consumers.map((consumer) => consumer.durable));
        this.watcher = new DeliveryLimitWatcher(
          js,
          jsm,
          topology,
          { service, consumers },
          logger,
          metrics,
        );
        await this.watcher.start();
      }
      await Promise.all(this.consumers.map((consumer) => consumer.start()));
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Drains: stops pulling and waits until every running handler has finished and acked. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.watcher?.stop();
  }

  on(): never {
    throw new Error('JetStreamServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.js as T;
  }

  private createConsumer(pattern: string, handler: MessageHandler): EventConsumer {
    const type = PATTERN.exec(pattern)?.[1];
    if (!type || !isEventType(type)) {
      throw new Error(
        `@EventPattern('${pattern}') must be 'signals.<domain>.<event>.*' for a type in schemas/events`,
      );
    }
    const { service, js, jsm, topology, logger, metrics, settings } = this.options;
    return new EventConsumer(
      js,
      jsm,
      topology,
      {
        service,
        type: type,
        settings: { ...settings, ...(handler.extras as EventPatternExtras | undefined) },
        handler: async (envelope, context) => {
          const result: unknown = await handler(envelope, new JetStreamContext([context]));
          await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        },
      },
      logger,
      metrics,
    );
  }
}
