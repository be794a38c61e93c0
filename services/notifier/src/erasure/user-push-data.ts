import { Injectable } from '@nestjs/common';
import { PushClaims } from '../scheduling/push-claims.js';
import { PrismaClient } from '../generated/prisma/client.js';

/**
 * Everything the notifier holds of a user, removed on account deletion: devices, the settings
 * copy, the schedule and the delivery log (one transaction), then the Redis push state. Safe to
 * run again. A table or key added later belongs here too.
 */
@Injectable()
export class UserPushData {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly claims: PushClaims,
  ) {}

  async purge(userId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.pushSubscription.deleteMany({ where: { userId } }),
      this.prisma.pushSettings.deleteMany({ where: { userId } }),
      this.prisma.pushSchedule.deleteMany({ where: { userId } }),
      this.prisma.pushDelivery.deleteMany({ where: { userId } }),
    ]);
    await this.claims.purge(userId);
  }
}
