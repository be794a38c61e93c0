import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

export interface StoredProfile {
  userId: string;
  timeZone: string;
  quietStart: string;
  quietEnd: string;
  pushEnabled: boolean;
  termsVersion: string | null;
  termsAcceptedAt: Date | null;
  updatedAt: Date;
}

export type ProfileChanges = Partial<
  Pick<
    StoredProfile,
    'timeZone' | 'quietStart' | 'quietEnd' | 'pushEnabled' | 'termsVersion' | 'termsAcceptedAt'
  >
>;

/** Profiles (Postgres schema `profile`); every method takes the user it is about first. */
@Injectable()
export class ProfileRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The user's profile, created with the defaults if this is the first time. */
  async getOrCreate(userId: string): Promise<StoredProfile> {
    // Reads are the common case: a plain lookup, and the write only the first time.
    const existing = await this.prisma.profile.findUnique({ where: { userId } });
    return (
      existing ?? this.prisma.profile.upsert({ where: { userId }, create: { userId }, update: {} })
    );
  }

  /**
   * Applies the changes; `announce` runs inside the same transaction, after the write and while
   * the row is locked, so an announcement that fails undoes the change, and two changes of one
   * user are announced in the order they were made.
   */
  async update(
    userId: string,
    changes: ProfileChanges,
    announce?: (profile: StoredProfile) => Promise<void>,
  ): Promise<StoredProfile> {
    if (!announce) {
      return this.prisma.profile.upsert({
        where: { userId },
        create: { userId, ...changes },
        update: changes,
      });
    }
    return this.prisma.$transaction(async (tx) => {
      const profile = await tx.profile.upsert({
        where: { userId },
        create: { userId, ...changes },
        update: changes,
      });
      await announce(profile);
      return profile;
    });
  }

  async purge(userId: string): Promise<void> {
    await this.prisma.profile.deleteMany({ where: { userId } });
  }
}
