import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

/** Why a user's next look was put where it is (`push_schedule.reason`). */
export type ScheduleReason =
  'now' | 'quiet_hours' | 'interval' | 'daily_cap' | 'nothing_to_push' | 'retry';

/** How long a claimed row is this instance's before another may take it (a crash). */
const CLAIM_LEASE_MS = 2 * 60_000;

/** When to consider each user next (`push_schedule`): the timer's work list. */
@Injectable()
export class ScheduleRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The user's next look is at `dueAt` (and no longer claimed). */
  async set(userId: string, dueAt: Date, reason: ScheduleReason): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO push_schedule (user_id, due_at, reason) VALUES (${userId}, ${dueAt}::timestamptz, ${reason})
      ON CONFLICT (user_id) DO UPDATE
        SET due_at = EXCLUDED.due_at, reason = EXCLUDED.reason, claimed_until = NULL`;
  }

  /** Looks sooner only: an earlier `dueAt` replaces a later one, never the other way. */
  async bringForward(userId: string, dueAt: Date, reason: ScheduleReason): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO push_schedule (user_id, due_at, reason) VALUES (${userId}, ${dueAt}::timestamptz, ${reason})
      ON CONFLICT (user_id) DO UPDATE SET due_at = EXCLUDED.due_at, reason = EXCLUDED.reason
      WHERE push_schedule.due_at > EXCLUDED.due_at`;
  }

  async remove(userId: string): Promise<void> {
    await this.prisma.pushSchedule.deleteMany({ where: { userId } });
  }

  async dueAt(userId: string): Promise<{ dueAt: Date; reason: string } | undefined> {
    const row = await this.prisma.pushSchedule.findUnique({ where: { userId } });
    return row ? { dueAt: row.dueAt, reason: row.reason } : undefined;
  }

  /**
   * Takes up to `limit` users due at `now` for this instance: rows another instance holds are
   * skipped, not waited for, and a claim a crash left behind lapses after the lease.
   */
  async claimDue(now: Date, limit: number): Promise<string[]> {
    const leaseEnd = new Date(now.getTime() + CLAIM_LEASE_MS);
    const rows = await this.prisma.$queryRaw<Array<{ user_id: string }>>`
      UPDATE push_schedule s SET claimed_until = ${leaseEnd}::timestamptz
      FROM (
        SELECT user_id FROM push_schedule
        WHERE due_at <= ${now}::timestamptz
          AND (claimed_until IS NULL OR claimed_until <= ${now}::timestamptz)
        ORDER BY due_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE s.user_id = due.user_id
      RETURNING s.user_id`;
    return rows.map((row) => row.user_id);
  }
}
