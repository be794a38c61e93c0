import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

export interface StoredDeletion {
  userId: string;
  eventId: string;
  requestedAt: Date;
  confirmedBy: string[];
  signalsPurgedAt: Date | null;
  completedAt: Date | null;
}

/** Deletion requests (Postgres schema `profile`); every method takes the user first. */
@Injectable()
export class DeletionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(userId: string): Promise<StoredDeletion | undefined> {
    return (await this.prisma.deletionRequest.findUnique({ where: { userId } })) ?? undefined;
  }

  /**
   * Records the request and runs `beforeCommit` (publishing `user.deleted`) in the same
   * transaction: a request never exists without its event. A concurrent second request finds
   * the first one's row (undefined here).
   */
  async create(
    userId: string,
    eventId: string,
    beforeCommit: () => Promise<void>,
  ): Promise<StoredDeletion | undefined> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const created = await tx.deletionRequest.create({ data: { userId, eventId } });
        await beforeCommit();
        return created;
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return undefined;
      throw error;
    }
  }
}
