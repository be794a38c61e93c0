import type { Redis } from 'ioredis';

/** Where Redis publishes invalidations for a client that redirects them (RESP2). */
export const INVALIDATION_CHANNEL = '__redis__:invalidate';

/**
 * What an invalidation names: the full keys (key prefix included) that changed, or `all` when
 * Redis dropped every tracked key at once (FLUSHALL, FLUSHDB).
 */
export type Invalidated = { keys: string[] } | 'all';

/**
 * Two connections for Redis's server-assisted client-side caching: reads go through `reader`,
 * which has `CLIENT TRACKING ON REDIRECT` to `invalidations`, subscribed to
 * `__redis__:invalidate`. From the moment a read returns, Redis sends each key it read there the
 * next time the key is modified, deleted or expires, whoever changes it.
 *
 * The invalidation connection speaks RESP2: to a RESP3 connection Redis sends invalidations as
 * `invalidate` push frames, which ioredis drops. Neither connection reconnects: a connection lost
 * may have lost invalidations, so the whole session ends (`ended` resolves) and its owner must
 * forget what it cached and open a new one.
 */
export class TrackingSession {
  /** Resolves, once, with why the session ended. */
  readonly ended: Promise<string>;
  /** Redis's id of the connection the invalidations come on (CLIENT LIST shows it). */
  invalidationsId: number | undefined;
  private endWith!: (reason: string) => void;
  private endedBecause: string | undefined;

  private constructor(
    readonly reader: Redis,
    private readonly invalidations: Redis,
  ) {
    this.ended = new Promise((resolve) => (this.endWith = resolve));
    for (const [connection, role] of [
      [reader, 'reader'],
      [invalidations, 'invalidation'],
    ] as const) {
      let lastError = '';
      connection.on('error', (error: Error) => (lastError = `: ${error.message}`));
      connection.on('close', () => this.end(`the ${role} connection closed${lastError}`));
    }
  }

  /**
   * Connects both, subscribes and turns tracking on; rejects (with both closed) if any step
   * fails. `onInvalidated` gets every invalidation from then on.
   */
  static async open(
    base: Redis,
    onInvalidated: (invalidated: Invalidated) => void,
  ): Promise<TrackingSession> {
    const once = { lazyConnect: true, retryStrategy: () => null, autoResubscribe: false };
    const name = base.options.connectionName || 'redis';
    const session = new TrackingSession(
      base.duplicate({ ...once, connectionName: `${name}-tracked-reads` }),
      base.duplicate({ ...once, protocol: 2, connectionName: `${name}-invalidations` }),
    );
    try {
      await session.start(onInvalidated);
    } catch (error) {
      session.end('it could not be opened');
      throw error;
    }
    return session;
  }

  /** Closes both connections (the owner is done with the session). */
  close(): void {
    this.end('closed by its owner');
  }

  private async start(onInvalidated: (invalidated: Invalidated) => void): Promise<void> {
    await Promise.all([this.reader.connect(), this.invalidations.connect()]);
    // Asked before subscribing: a subscribed RESP2 connection takes no other commands.
    this.invalidationsId = await this.invalidations.client('ID');
    this.invalidations.on('messageBuffer', (channel: Buffer, message: unknown) => {
      if (channel.toString() !== INVALIDATION_CHANNEL) return;
      onInvalidated(invalidatedBy(message));
    });
    await this.invalidations.subscribe(INVALIDATION_CHANNEL);
    await this.reader.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(this.invalidationsId));
    if (this.endedBecause !== undefined) {
      throw new Error(`tracking session ended while opening: ${this.endedBecause}`);
    }
  }

  private end(reason: string): void {
    if (this.endedBecause !== undefined) return;
    this.endedBecause = reason;
    this.reader.disconnect();
    this.invalidations.disconnect();
    this.endWith(reason);
  }
}

/** An invalidation's payload: an array of keys; nil (or anything unexpected) means every key. */
function invalidatedBy(message: unknown): Invalidated {
  if (Array.isArray(message)) return { keys: message.map((key: Buffer) => key.toString()) };
  if (Buffer.isBuffer(message)) return { keys: [message.toString()] };
  return 'all';
}
