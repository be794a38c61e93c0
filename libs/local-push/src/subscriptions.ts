import { createECDH, randomBytes } from 'node:crypto';
import type { ReceiverKeys } from './aes128gcm.js';
import type { CreatedSubscription, SubscriptionOptions } from './types.js';

export interface Subscription {
  id: string;
  keys: ReceiverKeys;
  /** The VAPID key the subscription was created for; any key is accepted when absent. */
  applicationServerKey?: string;
}

/** What a push endpoint names: a live subscription, one that was removed, or nothing known. */
export type Lookup =
  { state: 'active'; subscription: Subscription } | { state: 'removed' } | { state: 'unknown' };

export class UnknownSubscription extends Error {
  constructor(id: string) {
    super(`no subscription ${id}`);
    this.name = 'UnknownSubscription';
  }
}

function checkApplicationServerKey(key: string): void {
  const point = Buffer.from(key, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(key) || point.length !== 65 || point[0] !== 0x04)
    throw new Error('applicationServerKey must be an uncompressed P-256 public key, base64url');
}

/** The subscriptions this push service has handed out, with the keys their user agents hold. */
export class SubscriptionStore {
  private readonly active = new Map<string, Subscription>();
  private readonly removed = new Set<string>();

  /** Keys as a browser makes them: a P-256 pair and a 16-byte auth secret (RFC 8291 §2). */
  create(origin: string, options: SubscriptionOptions = {}): CreatedSubscription {
    if (options.applicationServerKey !== undefined)
      checkApplicationServerKey(options.applicationServerKey);
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const id = randomBytes(18).toString('base64url');
    const keys: ReceiverKeys = {
      privateKey: ecdh.getPrivateKey(),
      publicKey,
      authSecret: randomBytes(16),
    };
    this.active.set(id, { id, keys, applicationServerKey: options.applicationServerKey });
    return {
      id,
      subscription: {
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: {
          p256dh: keys.publicKey.toString('base64url'),
          auth: keys.authSecret.toString('base64url'),
        },
      },
    };
  }

  lookup(id: string): Lookup {
    const subscription = this.active.get(id);
    if (subscription) return { state: 'active', subscription };
    return this.removed.has(id) ? { state: 'removed' } : { state: 'unknown' };
  }

  /** Throws for an id this service never handed out (or already removed). */
  require(id: string): Subscription {
    const subscription = this.active.get(id);
    if (!subscription) throw new UnknownSubscription(id);
    return subscription;
  }

  remove(id: string): void {
    this.require(id);
    this.active.delete(id);
    this.removed.add(id);
  }

  clear(): void {
    this.active.clear();
    this.removed.clear();
  }
}
