import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type { CheckedSubscription } from './push-endpoint.js';

export interface StoredSubscription extends CheckedSubscription {
  userId: string;
  createdAt: Date;
  lastSentAt: Date | null;
  retryAfter: Date | null;
}

/** Users' devices (`push_subscription`), looked up by the endpoint's hash. */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores the device for the user. The same endpoint subscribed again (new keys, or another
   * account signed in on that browser) replaces what was stored: one device, one owner.
   */
  async save(userId: string, subscription: CheckedSubscription): Promise<void> {
    const { endpointHash, endpoint, p256dh, auth } = subscription;
    await this.prisma.pushSubscription.upsert({
      where: { endpointHash },
      create: { endpointHash, userId, endpoint, p256dh, auth },
      update: { userId, endpoint, p256dh, auth, retryAfter: null },
    });
  }

  /** Removes one of the user's devices; false when the user had no such device. */
  async remove(userId: string, endpointHash: string): Promise<boolean> {
    const { count } = await this.prisma.pushSubscription.deleteMany({
      where: { endpointHash, userId },
    });
    return count > 0;
  }

  /** The push service says the subscription is gone (404/410), whoever it belonged to. */
  async removeGone(endpointHash: string): Promise<void> {
    await this.prisma.pushSubscription.deleteMany({ where: { endpointHash } });
  }

  async forUser(userId: string): Promise<StoredSubscription[]> {
    return this.prisma.pushSubscription.findMany({
      where: { userId },
      orderBy: { createdAt: 'asc' },
    });
  }

  async hasAny(userId: string): Promise<boolean> {
    return (await this.prisma.pushSubscription.count({ where: { userId } })) > 0;
  }

  async markSent(endpointHash: string, at: Date): Promise<void> {
    await this.prisma.pushSubscription.updateMany({
      where: { endpointHash },
      data: { lastSentAt: at, retryAfter: null },
    });
  }

  /** The push service asked for a pause (429 Retry-After): this device waits until `until`. */
  async pauseUntil(endpointHash: string, until: Date): Promise<void> {
    await this.prisma.pushSubscription.updateMany({
      where: { endpointHash },
      data: { retryAfter: until },
    });
  }

  async purge(userId: string): Promise<void> {
    await this.prisma.pushSubscription.deleteMany({ where: { userId } });
  }
}
