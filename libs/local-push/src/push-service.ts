import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DecryptionError, decryptPushMessage } from './aes128gcm.js';
import { Mailbox } from './mailbox.js';
import { checkBody, readDeliveryOptions } from './push-headers.js';
import { PushRejection } from './push-rejection.js';
import { ScriptedAnswers, type Answer } from './scripted-answers.js';
import { SubscriptionStore, type Subscription } from './subscriptions.js';
import type {
  CreatedSubscription,
  PushAttempt,
  PushMessage,
  ScriptedAnswer,
  SubscriptionOptions,
  VapidIdentity,
} from './types.js';
import { verifyVapid } from './vapid.js';

export interface PushRequest {
  subscriptionId: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface PushAnswer {
  status: number;
  headers: Record<string, string>;
  /** Why the message was refused; absent when it was accepted. */
  reason?: string;
  messageId?: string;
}

/**
 * The push service's rules (RFC 8030 §5, RFC 8291, RFC 8292): who may send to a subscription,
 * what a message must look like, and where an accepted one goes. HTTP stays in the routes.
 */
export class PushService {
  private readonly subscriptions = new SubscriptionStore();
  private readonly mailbox: Mailbox;
  private readonly scripted = new ScriptedAnswers();
  private readonly attemptLog: PushAttempt[] = [];

  constructor(
    /** This service's origin: endpoints start with it and VAPID's `aud` must equal it. */
    private readonly origin: string,
    private readonly now: () => number,
  ) {
    this.mailbox = new Mailbox(now);
  }

  /** Handles one push message and logs the attempt, whatever the answer. */
  receive(request: PushRequest): PushAnswer {
    const now = this.now();
    const answer = this.answer(request, now);
    this.attemptLog.push({
      subscriptionId: request.subscriptionId,
      status: answer.status,
      at: new Date(now).toISOString(),
      ...(answer.messageId ? { messageId: answer.messageId } : {}),
      ...(answer.reason ? { reason: answer.reason } : {}),
    });
    return answer;
  }

  createSubscription(options?: SubscriptionOptions): CreatedSubscription {
    return this.subscriptions.create(this.origin, options);
  }

  removeSubscription(subscriptionId: string): void {
    this.subscriptions.remove(subscriptionId);
    this.mailbox.forget(subscriptionId);
  }

  setOnline(subscriptionId: string, online: boolean): void {
    this.subscriptions.require(subscriptionId);
    this.mailbox.setOnline(subscriptionId, online);
  }

  respondNext(answer: ScriptedAnswer): void {
    if (answer.subscriptionId !== undefined) this.subscriptions.require(answer.subscriptionId);
    this.scripted.add(answer);
  }

  delivered(subscriptionId?: string): PushMessage[] {
    return this.mailbox.delivered(subscriptionId);
  }

  queued(subscriptionId?: string): PushMessage[] {
    return this.mailbox.queued(subscriptionId);
  }

  attempts(subscriptionId?: string): PushAttempt[] {
    return this.attemptLog.filter(
      (attempt) => subscriptionId === undefined || attempt.subscriptionId === subscriptionId,
    );
  }

  reset(): void {
    this.subscriptions.clear();
    this.mailbox.clear();
    this.scripted.clear();
    this.attemptLog.length = 0;
  }

  private answer(request: PushRequest, now: number): PushAnswer {
    try {
      const subscription = this.activeSubscription(request.subscriptionId);
      const scripted = this.scripted.take(subscription.id);
      if (scripted) return this.answerAsScripted(subscription.id, scripted);
      const message = this.accept(subscription, request, now);
      this.mailbox.accept(message);
      return {
        status: 201,
        headers: { location: `/message/${message.id}`, ttl: String(message.ttl) },
        messageId: message.id,
      };
    } catch (error) {
      if (!(error instanceof PushRejection)) throw error;
      return { status: error.status, headers: error.headers, reason: error.message };
    }
  }

  private activeSubscription(id: string): Subscription {
    const lookup = this.subscriptions.lookup(id);
    switch (lookup.state) {
      case 'active':
        return lookup.subscription;
      case 'removed':
        throw new PushRejection(410, 'the subscription has expired or was removed');
      case 'unknown':
        throw new PushRejection(404, 'no such subscription');
    }
  }

  /** 404 and 410 mean the subscription is gone for good: later messages meet 410 too. */
  private answerAsScripted(subscriptionId: string, answer: Answer): PushAnswer {
    if (answer.status === 404 || answer.status === 410) this.removeSubscription(subscriptionId);
    return {
      status: answer.status,
      headers: answer.retryAfter === undefined ? {} : { 'retry-after': String(answer.retryAfter) },
      reason: 'scripted by respondNext',
    };
  }

  /** Checks a message the way a push service does, in order: who sent it, then what it is. */
  private accept(
    subscription: Subscription,
    { headers, body }: PushRequest,
    now: number,
  ): PushMessage {
    const vapid = verifyVapid(headers.authorization, this.origin, now);
    checkApplicationServerKey(subscription, vapid);
    const options = readDeliveryOptions(headers);
    checkBody(headers, body);
    return {
      id: randomBytes(18).toString('base64url'),
      subscriptionId: subscription.id,
      payload: body.length === 0 ? '' : decrypt(body, subscription).toString('utf8'),
      ...options,
      vapid,
      receivedAt: new Date(now).toISOString(),
    };
  }
}

/** RFC 8292 §4.2: a subscription bound to one application server key refuses others (403). */
function checkApplicationServerKey(subscription: Subscription, vapid: VapidIdentity): void {
  const expected = subscription.applicationServerKey;
  if (expected === undefined) return;
  if (!Buffer.from(expected, 'base64url').equals(Buffer.from(vapid.publicKey, 'base64url')))
    throw new PushRejection(403, 'k is not the applicationServerKey of this subscription');
}

function decrypt(body: Buffer, subscription: Subscription): Buffer {
  try {
    return decryptPushMessage(body, subscription.keys);
  } catch (error) {
    if (error instanceof DecryptionError)
      throw new PushRejection(400, `the body does not decrypt: ${error.message}`);
    throw error;
  }
}
