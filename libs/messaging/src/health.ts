import type { NatsConnection } from '@nats-io/transport-node';
import type { HealthCheck } from '@oo/observability';

/** Probes NATS with a round trip to the server, as publishes and acks need it. */
export const natsHealthCheck = (nc: NatsConnection): HealthCheck => ({
  name: 'nats',
  check: async () => {
    if (nc.isClosed()) throw new Error('connection closed');
    await nc.rtt();
  },
});
