import type { PushMessage } from './types.js';

interface Queued {
  message: PushMessage;
  /** Epoch ms after which the push service may no longer deliver it (RFC 8030 §5.2). */
  expiresAt: number;
}

/** Where accepted messages go: delivered at once to an online device, queued for an offline one. */
export class Mailbox {
  private readonly deliveredMessages: PushMessage[] = [];
  private readonly offline = new Set<string>();
  private readonly queues = new Map<string, Queued[]>();

  constructor(private readonly now: () => number) {}

  accept(message: PushMessage): void {
    if (!this.offline.has(message.subscriptionId)) {
      this.deliveredMessages.push(message);
      return;
    }
    // RFC 8030 §5.2: a TTL of 0 is for a device that can take it right now, or never.
    if (message.ttl === 0) return;
    // RFC 8030 §5.4: a newer message with the same Topic replaces the undelivered one.
    const queue = (this.queues.get(message.subscriptionId) ?? []).filter(
      ({ message: queued }) => message.topic === undefined || queued.topic !== message.topic,
    );
    queue.push({ message, expiresAt: Date.parse(message.receivedAt) + message.ttl * 1000 });
    this.queues.set(message.subscriptionId, queue);
  }

  setOnline(subscriptionId: string, online: boolean): void {
    if (!online) {
      this.offline.add(subscriptionId);
      return;
    }
    this.offline.delete(subscriptionId);
    this.deliveredMessages.push(...this.live(subscriptionId));
    this.queues.delete(subscriptionId);
  }

  /** A removed subscription's queue is never delivered. */
  forget(subscriptionId: string): void {
    this.offline.delete(subscriptionId);
    this.queues.delete(subscriptionId);
  }

  delivered(subscriptionId?: string): PushMessage[] {
    return this.deliveredMessages.filter(
      (message) => subscriptionId === undefined || message.subscriptionId === subscriptionId,
    );
  }

  queued(subscriptionId?: string): PushMessage[] {
    const ids = subscriptionId === undefined ? [...this.queues.keys()] : [subscriptionId];
    return ids
      .flatMap((id) => this.live(id))
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  clear(): void {
    this.deliveredMessages.length = 0;
    this.offline.clear();
    this.queues.clear();
  }

  /** Queued messages still within their TTL. */
  private live(subscriptionId: string): PushMessage[] {
    const now = this.now();
    return (this.queues.get(subscriptionId) ?? [])
      .filter(({ expiresAt }) => now < expiresAt)
      .map(({ message }) => message);
  }
}
