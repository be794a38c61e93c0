import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

/** How long a delivery id is remembered: Todoist retries a failed delivery for far less. */
export const DELIVERY_MEMORY_MS = 30 * 24 * 60 * 60 * 1000;
/** Every this many marks (per instance, the first included), rows past memory are pruned. */
const PRUNE_EVERY = 100;

/**
 * `webhook_delivery`: the deliveries already processed, by `X-Todoist-Delivery-ID`, so a
 * redelivery of one is acknowledged and not processed again.
 */
@Injectable()
export class WebhookDeliveries {
  private marks = 0;

  constructor(private readonly prisma: PrismaClient) {}

  async processed(deliveryId: string): Promise<boolean> {
    const row = await this.prisma.webhookDelivery.findUnique({
      where: { deliveryId },
      select: { deliveryId: true },
    });
    return row !== null;
  }

  /** Marks a delivery processed (a second mark of the same id is a no-op). */
  async markProcessed(deliveryId: string, now: Date = new Date()): Promise<void> {
    await this.prisma.webhookDelivery.createMany({
      data: [{ deliveryId, receivedAt: now }],
      skipDuplicates: true,
    });
    // Pruning rides along on inserts: an indexed range delete, cheap, and no timer to own.
    if (this.marks++ % PRUNE_EVERY === 0) await this.prune(now);
  }

  /** Forgets deliveries older than the memory; returns how many. */
  async prune(now: Date = new Date()): Promise<number> {
    const { count } = await this.prisma.webhookDelivery.deleteMany({
      where: { receivedAt: { lt: new Date(now.getTime() - DELIVERY_MEMORY_MS) } },
    });
    return count;
  }
}
