import { Redis } from 'ioredis';

/**
 * A service's Redis client. A namespace becomes a key prefix (`<namespace>:`) so tests and
 * previews share one Redis without seeing each other's keys; hash tags such as
 * `oo:scorer:{<userId>}:…` keep working because the tag stays inside the key.
 */
export function createRedisClient(url: string, namespace: string, service: string): Redis {
  return new Redis(url, {
    ...(namespace ? { keyPrefix: `${namespace}:` } : {}),
    connectionName: service,
    // Fail a command after a few reconnect attempts instead of queueing it forever: the caller's
    // ack policy (nak and retry) or HTTP error is better than a silent hang.
    maxRetriesPerRequest: 3,
  });
}
