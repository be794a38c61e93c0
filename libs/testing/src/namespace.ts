import { randomBytes } from 'node:crypto';

/**
 * A name no other test file or run shares: a NATS namespace (streams, subjects, RPC subjects),
 * a Redis key prefix and a database name are all derived from it.
 */
export function uniqueNamespace(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 20);
  return `t_${clean}_${randomBytes(4).toString('hex')}`;
}
