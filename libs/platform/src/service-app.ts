import { Module, type DynamicModule, type Type, type ValueProvider } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BaseEnv } from '@oo/config';
import {
  connectToNats,
  ensureStreams,
  jetstream,
  jetstreamManager,
  JetStreamServer,
  MessagingMetrics,
  MessagingModule,
  natsHealthCheck,
  RpcServer,
  Topology,
  type EventConsumerSettings,
  type NatsConnection,
} from '@oo/messaging';
import {
  createLogger,
  createMetricsRegistry,
  ObservabilityModule,
  PinoNestLogger,
  type HealthCheck,
} from '@oo/observability';
import type { Logger } from 'pino';
import { ServiceExceptionFilter } from './service-exception.filter.js';

export interface ServiceAppOptions {
  service: string;
  env: BaseEnv & { PORT: number };
  /** The service's own feature modules (controllers, consumers, services, repositories). */
  imports?: Array<Type | DynamicModule>;
  /** What every feature module may inject: the validated env and the store clients. */
  stores?: ValueProvider[];
  /** Health checks besides NATS, for the stores the service uses (Redis, Postgres). */
  healthChecks?: HealthCheck[];
  /** Closes the service's own clients, after every handler has finished. */
  onShutdown?: Array<() => Promise<unknown>>;
  consumerSettings?: Partial<EventConsumerSettings>;
  /** Largest accepted HTTP body. */
  bodyLimitBytes?: number;
  /**
   * Proxies in front of this service to trust for the client address (X-Forwarded-For): the
   * number of hops, 0 when clients connect directly.
   */
  trustedProxyHops?: number;
}

export interface ServiceApp {
  app: NestFastifyApplication;
  nc: NatsConnection;
  topology: Topology;
  logger: Logger;
  /** Starts RPC and JetStream consumers, then HTTP. Resolves with the HTTP URL. */
  start(): Promise<string>;
  /** Graceful stop: drains consumers and RPC, closes HTTP, drains NATS, closes the service's clients. */
  stop(): Promise<void>;
}

/** Makes the service's env and clients injectable everywhere in the service. */
function storesModule(stores: ValueProvider[]): DynamicModule {
  class ServiceStoresModule {}
  return {
    module: ServiceStoresModule,
    global: true,
    providers: stores,
    exports: stores.map((store) => store.provide),
  };
}

/**
 * Builds a service the same way everywhere (and in tests): one NATS connection shared by
 * publisher and JetStream consumers, streams provisioned, `/health` and `/metrics`, pino logs,
 * `@MessagePattern` on Nest's NATS transport and `@EventPattern` on JetStream.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { service, env } = options;
  const logger = createLogger(service, env.LOG_LEVEL);
  const topology = new Topology(env.OO_NAMESPACE);
  const nc = await connectToNats({ url: env.NATS_URL, name: service });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureStreams(jsm, topology, env.NATS_STREAM_REPLICAS);

  const registry = createMetricsRegistry(service);
  const metrics = new MessagingMetrics(registry);

  @Module({
    imports: [
      ObservabilityModule.forRoot({
        service,
        registry,
        checks: [natsHealthCheck(nc), ...(options.healthChecks ?? [])],
      }),
      MessagingModule.forRoot({ nc, js, topology, metrics }),
      storesModule(options.stores ?? []),
      ...(options.imports ?? []),
    ],
    providers: [{ provide: APP_FILTER, useClass: ServiceExceptionFilter }],
  })
  class ServiceRootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(
    ServiceRootModule,
    new FastifyAdapter({
      bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
      ...(options.trustedProxyHops
        ? { trustProxy: (_address: string, hop: number) => hop < options.trustedProxyHops! }
        : {}),
    }),
    // A JSON API takes JSON only: no form or text parsers (Nest would add a form parser), so
    // any other body gets a 415 from Fastify, worded by ServiceExceptionFilter.
    { logger: new PinoNestLogger(logger), abortOnError: false, bodyParser: false },
  );
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  const rpcServer = new RpcServer({ url: env.NATS_URL, service, topology });
  const eventServer = new JetStreamServer({
    service,
    js,
    jsm,
    topology,
    logger,
    metrics,
    ...(options.consumerSettings ? { settings: options.consumerSettings } : {}),
  });
  app.connectMicroservice({ strategy: rpcServer }, { inheritAppConfig: true });
  app.connectMicroservice({ strategy: eventServer }, { inheritAppConfig: true });

  let stopping: Promise<void> | undefined;
  return {
    app,
    nc,
    topology,
    logger,
    async start() {
      await app.startAllMicroservices();
      await app.listen({ port: env.PORT, host: '0.0.0.0' });
      const url = `http://127.0.0.1:${env.PORT}`;
      logger.info({ port: env.PORT, namespace: env.OO_NAMESPACE || undefined }, `${service} ready`);
      return url;
    },
    stop() {
      stopping ??= (async () => {
        // Finish what is in flight while every client is still open, then close in order.
        await Promise.all([eventServer.close(), rpcServer.close()]);
        await app.close();
        await nc.drain();
        for (const close of options.onShutdown ?? []) await close();
        logger.info(`${service} stopped`);
      })();
      return stopping;
    },
  };
}
