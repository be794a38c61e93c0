import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { MessagingMetrics } from '../metrics.js';
import { EventPublisher } from '../publisher.js';
import { RpcClient } from '../rpc/rpc.client.js';
import { Topology } from '../topology.js';

/** Injection token of the service's NATS connection. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

export interface MessagingModuleOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  topology: Topology;
  metrics: MessagingMetrics;
}

/**
 * Gives a service's providers what they need to talk: `EventPublisher`, `RpcClient`, the
 * `Topology` and the connection itself (for health). The connection is opened before Nest
 * boots (see `@oo/platform`), because the JetStream transport shares it.
 */
@Module({})
export class MessagingModule {
  static forRoot({ nc, js, topology, metrics }: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: NATS_CONNECTION, useValue: nc },
        { provide: Topology, useValue: topology },
        { provide: MessagingMetrics, useValue: metrics },
        { provide: EventPublisher, useValue: new EventPublisher(js, topology, metrics) },
        { provide: RpcClient, useValue: new RpcClient(nc, topology) },
      ],
      exports: [NATS_CONNECTION, Topology, MessagingMetrics, EventPublisher, RpcClient],
    };
  }
}
