import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type { CheckedSubscription } from './push-endpoint.js';

export interface StoredSubscription extends CheckedSubscription {
  userId: string;
  vapidKey: string;
  createdAt: Date;
  lastSentAt: Date | null;
  retryAfter: Date | null;
  failures: number;
}

/**
 * Devices one user may have at once; a new one beyond replaces the one that has gone longest
 * without a push. A browser profile is one device, so this is generous, and it bounds what one
 * account can make the notifier send.
 */
export const MAX_DEVICES_PER_USER = 10;

/** Users' devices (`push_subscription`), looked up by the endpoint's hash. */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores the device for the user. The same endpoint subscribed again (new keys, or another
   * account signed in on that browser) replaces what was stored: one device, one owner.
   */
  async save(userId: string, subscription: CheckedSubscription, vapidKey: string): Promise<void> {
    const { endpointHash, endpoint, p256dh, auth } = subscription;
    await this.prisma.$transaction(async (tx) => {
      await tx.pushSubscription.upsert({
        where: { endpointHash },
        create: { endpointHash, userId, endpoint, p256dh, auth, vapidKey },
        update: { userId, endpoint, p256dh, auth, vapidKey, retryAfter: null, failures: 0 },
      });
      // The one just saved is among the newest, so it always stays.
      await tx.$executeRaw`
        DELETE FROM push_subscription WHERE endpoint_hash IN (
          SELECT endpoint_hash FROM push_subscription WHERE user_id = ${userId}
          ORDER BY GREATEST(created_at, COALESCE(last_sent_at, created_at)) DESC, endpoint_hash
          OFFSET ${MAX_DEVICES_PER_USER})`;
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
      data: { lastSentAt: at, retryAfter: null, failures: 0 },
    });
  }

  /** One more push it did not take; answers how many in a row now. */
  async countFailure(endpointHash: string): Promise<number> {
    const [row] = await this.prisma.$queryRaw<Array<{ failures: number }>>`
      UPDATE push_subscription SET failures = failures + 1 WHERE endpoint_hash = ${endpointHash}
      RETURNING failures`;
    return row?.failures ?? 0;
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
