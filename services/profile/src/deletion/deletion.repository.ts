import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@oo/database';
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

  /** The request, before or after it was finished (then it is kept under the id's digest). */
  async find(userId: string): Promise<StoredDeletion | undefined> {
    const found = await this.prisma.deletionRequest.findFirst({
      where: { userId: { in: [userId, finishedKey(userId)] } },
    });
    return found ? { ...found, userId } : undefined;
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
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** Adds a service's confirmation once, whatever the redeliveries; the request after it. */
  async confirm(userId: string, service: string): Promise<StoredDeletion | undefined> {
    await this.prisma.$executeRaw`
      UPDATE deletion_request SET confirmed_by = array_append(confirmed_by, ${service})
      WHERE user_id = ${userId} AND NOT (${service} = ANY(confirmed_by))`;
    return this.find(userId);
  }

  /** Done: from now on the record names no user, only a digest of the id operators can ask by. */
  async markSignalsPurged(userId: string, now: Date): Promise<void> {
    await this.prisma.deletionRequest.update({
      where: { userId },
      data: { userId: finishedKey(userId), signalsPurgedAt: now, completedAt: now },
    });
  }

  /** Requests not finished that were made before `before`: what the sweeper looks at. */
  async unfinished(before: Date): Promise<StoredDeletion[]> {
    return this.prisma.deletionRequest.findMany({
      where: { completedAt: null, requestedAt: { lt: before } },
      take: 100,
    });
  }
}

function finishedKey(userId: string): string {
  return `sha256:${createHash('sha256').update(userId).digest('hex')}`;
}
