import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type {
  DailyMetricsRows,
  ReactionDayRow,
  ServingDayRow,
  SignupDayRow,
} from './daily-metrics.js';

/**
 * Reads the metrics views (migration `create_metrics_views`) for the UTC days in
 * [since, until). The views hold the definitions; this only filters and renames.
 */
@Injectable()
export class DailyMetricsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async rows(since: string, until: string): Promise<DailyMetricsRows> {
    // Sequential, not Promise.all: one request should hold one pooled connection at a time.
    const signups = await this.prisma.$queryRaw<SignupDayRow[]>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, signups, activated
      FROM metrics_daily_signups
      WHERE day >= ${since}::date AND day < ${until}::date`;
    const serving = await this.prisma.$queryRaw<ServingDayRow[]>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, NULL::text AS policy, users_served AS "usersServed",
             tips_served AS "tipsServed", tips_with_user_reaction AS "tipsWithUserReaction"
      FROM metrics_daily_serving
      WHERE day >= ${since}::date AND day < ${until}::date
      UNION ALL
      SELECT to_char(day, 'YYYY-MM-DD'), policy, users_served, tips_served, tips_with_user_reaction
      FROM metrics_daily_policy
      WHERE day >= ${since}::date AND day < ${until}::date`;
    const reactions = await this.prisma.$queryRaw<ReactionDayRow[]>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, policy, action, reactions,
             reward_sum AS "rewardSum"
      FROM metrics_daily_reactions
      WHERE day >= ${since}::date AND day < ${until}::date`;
    return { signups, serving, reactions };
  }
}
