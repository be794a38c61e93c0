import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { PrismaClient } from '../generated/prisma/client.js';

export interface StoredRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** Refresh tokens by the SHA-256 of their value (the value itself is never stored). */
@Injectable()
export class RefreshTokenRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async issue(userId: string, familyId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.refreshToken.create({
      data: { id: uuidv7(), familyId, userId, tokenHash, expiresAt },
    });
  }

  async findByHash(tokenHash: string): Promise<StoredRefreshToken | undefined> {
    return (await this.prisma.refreshToken.findUnique({ where: { tokenHash } })) ?? undefined;
  }

  /**
   * Marks a token rotated and issues its successor, atomically. False when the token was
   * rotated or revoked meanwhile (a concurrent use: the caller treats it as a replay).
   */
  async rotate(
    current: StoredRefreshToken,
    nextHash: string,
    expiresAt: Date,
    now: Date,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const claimed = await tx.refreshToken.updateMany({
        where: { id: current.id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: now },
      });
      if (claimed.count !== 1) return false;
      await tx.refreshToken.create({
        data: {
          id: uuidv7(),
          familyId: current.familyId,
          userId: current.userId,
          tokenHash: nextHash,
          expiresAt,
        },
      });
      return true;
    });
  }

  /** Revokes every token of a session. */
  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: now },
    });
  }

  async isFamilyActive(familyId: string, now: Date): Promise<boolean> {
    const live = await this.prisma.refreshToken.count({
      where: { familyId, revokedAt: null, rotatedAt: null, expiresAt: { gt: now } },
    });
    return live > 0;
  }
}
