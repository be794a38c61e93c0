/** RFC 8030 §5.3: how soon the user agent wants the message, from least to most. */
export const URGENCIES = ['very-low', 'low', 'normal', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** What `PushSubscription.toJSON()` gives a page: what it hands to its application server. */
export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime: null;
  keys: {
    /** The user agent's P-256 public key, uncompressed, base64url without padding. */
    p256dh: string;
    /** The 16-byte auth secret, base64url without padding. */
    auth: string;
  };
}

export interface CreatedSubscription {
  id: string;
  subscription: PushSubscriptionJson;
}

export interface SubscriptionOptions {
  /**
   * The VAPID public key the page subscribed with (base64url, uncompressed P-256), as given to
   * `pushManager.subscribe({ applicationServerKey })`. Messages signed by another key get 403.
   */
  applicationServerKey?: string;
}

/** The claims of the VAPID JWT a message was sent with, and the key that signed it. */
export interface VapidIdentity {
  sub: string;
  aud: string;
  /** Seconds since the epoch. */
  exp: number;
  /** The `k` parameter: the application server's public key, base64url. */
  publicKey: string;
}

/** A message the service accepted, as the user agent would receive it. */
export interface PushMessage {
  id: string;
  subscriptionId: string;
  /** The decrypted body as UTF-8 text ('' for a message without a body). */
  payload: string;
  /** Seconds, as the sender's `TTL` header said. */
  ttl: number;
  urgency: Urgency;
  topic?: string;
  vapid: VapidIdentity;
  /** ISO instant. */
  receivedAt: string;
}

/** One request to a push endpoint, whatever its answer. */
export interface PushAttempt {
  subscriptionId: string;
  status: number;
  /** ISO instant. */
  at: string;
  /** Set when the message was accepted (201). */
  messageId?: string;
  /** Why it was refused, when it was. */
  reason?: string;
}

/** An answer the service gives instead of handling the next messages (see `respondNext`). */
export interface ScriptedAnswer {
  /** Only messages to this subscription; any subscription when absent. */
  subscriptionId?: string;
  /** 4xx or 5xx. 404 and 410 also remove the subscription, as a real push service would. */
  status: number;
  /** Seconds, sent as `Retry-After`; a 429 always carries one (1 s unless given). */
  retryAfter?: number;
  /** How many messages get this answer (default 1). */
  times?: number;
}

/**
 * Drives the local push service from a test. Every method is async so the same interface
 * works in-process and over HTTP (`connectLocalPush`).
 */
export interface LocalPushControl {
  /** A subscription as a browser would get one from `pushManager.subscribe()`. */
  createSubscription: (options?: SubscriptionOptions) => Promise<CreatedSubscription>;
  /** The user unsubscribed: later messages get 410 Gone. */
  removeSubscription: (subscriptionId: string) => Promise<void>;
  /**
   * Offline: messages are queued (one per Topic) instead of delivered. Back online: what is
   * queued and still within its TTL is delivered.
   */
  setOnline: (subscriptionId: string, online: boolean) => Promise<void>;
  /** Answers the next messages with `answer.status` instead of accepting them. */
  respondNext: (answer: ScriptedAnswer) => Promise<void>;
  /** Messages delivered so far (to one subscription, or all), oldest first. */
  delivered: (subscriptionId?: string) => Promise<PushMessage[]>;
  /** Messages waiting for an offline device and still within their TTL, oldest first. */
  queued: (subscriptionId?: string) => Promise<PushMessage[]>;
  /** Every request to a push endpoint, oldest first. */
  attempts: (subscriptionId?: string) => Promise<PushAttempt[]>;
  /** Forgets subscriptions, messages, attempts and scripted answers. */
  reset: () => Promise<void>;
}
