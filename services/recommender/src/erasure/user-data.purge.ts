import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

/**
 * What the recommender holds of a user, removed on account deletion in one transaction: the
 * tips (decisions, with the task titles) and push decisions not sent yet and with them, by cascade, their scores and
 * reactions; the task holds; the sign-up. Safe to run again. A table keyed by user added
 * later belongs here too: `test/erasure.int-spec.ts` fails until it is.
 */
@Injectable()
export class UserDataPurge {
  constructor(private readonly prisma: PrismaClient) {}

  async purge(userId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.tip.deleteMany({ where: { userId } }),
      this.prisma.pushDecision.deleteMany({ where: { userId } }),
      this.prisma.taskHold.deleteMany({ where: { userId } }),
      this.prisma.signup.deleteMany({ where: { userId } }),
    ]);
  }
}
