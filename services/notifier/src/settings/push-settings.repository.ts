import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

export interface PushSettings {
  timeZone: string;
  quietHours: { start: string; end: string };
  pushEnabled: boolean;
  /** When the profile took these values: a copy is replaced only by a newer one. */
  updatedAt: Date;
}

/** The notifier's copy of each user's push settings (`push_settings`). */
@Injectable()
export class PushSettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(userId: string): Promise<PushSettings | undefined> {
    const row = await this.prisma.pushSettings.findUnique({ where: { userId } });
    if (!row) return undefined;
    return {
      timeZone: row.timeZone,
      quietHours: { start: row.quietStart, end: row.quietEnd },
      pushEnabled: row.pushEnabled,
      updatedAt: row.updatedAt,
    };
  }

  /**
   * Keeps `settings` unless the copy is newer: events arrive out of order after a redelivery,
   * and a fallback read may race an event. The same version again is stored again, so a
   * redelivery after a crash finishes what the first delivery started. True when stored.
   */
  async saveIfNewer(userId: string, settings: PushSettings): Promise<boolean> {
    const { timeZone, quietHours, pushEnabled, updatedAt } = settings;
    const stored = await this.prisma.$executeRaw`
      INSERT INTO push_settings (user_id, time_zone, quiet_start, quiet_end, push_enabled, updated_at)
      VALUES (${userId}, ${timeZone}, ${quietHours.start}, ${quietHours.end}, ${pushEnabled},
        ${updatedAt}::timestamptz)
      ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
        quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end,
        push_enabled = EXCLUDED.push_enabled, updated_at = EXCLUDED.updated_at
      WHERE push_settings.updated_at <= EXCLUDED.updated_at`;
    return stored > 0;
  }

  async purge(userId: string): Promise<void> {
    await this.prisma.pushSettings.deleteMany({ where: { userId } });
  }
}
