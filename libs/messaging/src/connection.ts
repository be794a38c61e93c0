import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsConnectOptions {
  url: string;
  /** Shown in the server's connection list: the service name. */
  name: string;
}

/**
 * Connects and keeps reconnecting forever (with jittered back-off) instead of giving up: a
 * restarted NATS server must never leave a service silently deaf.
 */
export function connectToNats({ url, name }: NatsConnectOptions): Promise<NatsConnection> {
  return connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: false,
    pingInterval: 10_000,
  });
}

export type { NatsConnection } from '@nats-io/transport-node';
