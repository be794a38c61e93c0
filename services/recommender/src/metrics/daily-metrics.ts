import type { DailyMetrics, ReactionCounts, ServingMetrics } from '@oo/contracts';

/** A row of `metrics_daily_signups`. */
export interface SignupDayRow {
  day: string;
  signups: number;
  activated: number;
}

/** A row of `metrics_daily_serving` (policy null) or `metrics_daily_policy`. */
export interface ServingDayRow {
  day: string;
  policy: string | null;
  usersServed: number;
  tipsServed: number;
  tipsWithUserReaction: number;
}

/** A row of `metrics_daily_reactions`: the reactions of one action to one policy's tips of a day. */
export interface ReactionDayRow {
  day: string;
  policy: string;
  action: string;
  reactions: number;
  rewardSum: number;
}

export interface DailyMetricsRows {
  signups: SignupDayRow[];
  /** Every day's totals (policy null) and every day's rows by policy. */
  serving: ServingDayRow[];
  reactions: ReactionDayRow[];
}

const ACTIONS = [
  'done',
  'dismiss',
  'snooze',
  'helpful',
  'not_helpful',
  'expired',
] as const satisfies ReadonlyArray<keyof ReactionCounts>;

const isAction = (action: string): action is keyof ReactionCounts =>
  (ACTIONS as readonly string[]).includes(action);

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Sums reactions as the views give them; a mean needs the sum and the count, not two means. */
class ServingTally {
  usersServed = 0;
  tipsServed = 0;
  tipsWithUserReaction = 0;
  readonly reactions: ReactionCounts = {
    done: 0,
    dismiss: 0,
    snooze: 0,
    helpful: 0,
    not_helpful: 0,
    expired: 0,
  };
  rewardedReactions = 0;
  rewardSum = 0;

  addReactions(row: ReactionDayRow): void {
    // The feedback contract allows no other action; one from a future schema still counts
    // in the mean reward, and shows in `reactions` once the response schema names it.
    if (isAction(row.action)) this.reactions[row.action] += row.reactions;
    this.rewardedReactions += row.reactions;
    this.rewardSum += row.rewardSum;
  }

  metrics(): ServingMetrics {
    return {
      usersServed: this.usersServed,
      tipsServed: this.tipsServed,
      tipsWithUserReaction: this.tipsWithUserReaction,
      reactionRate: share(this.tipsWithUserReaction, this.tipsServed),
      reactions: { ...this.reactions },
      rewardedReactions: this.rewardedReactions,
      meanReward: this.rewardedReactions === 0 ? null : this.rewardSum / this.rewardedReactions,
    };
  }
}

/** One entry per day of `days`, zeros where the views have no row. */
export function assembleDailyMetrics(days: string[], rows: DailyMetricsRows): DailyMetrics[] {
  const signups = new Map(rows.signups.map((row) => [row.day, row]));
  const totals = new Map<string, ServingTally>();
  const byPolicy = new Map<string, Map<string, ServingTally>>();
  const tallyOf = (day: string, policy: string | null): ServingTally => {
    if (policy === null) {
      const total = totals.get(day) ?? new ServingTally();
      totals.set(day, total);
      return total;
    }
    const policies = byPolicy.get(day) ?? new Map<string, ServingTally>();
    byPolicy.set(day, policies);
    const tally = policies.get(policy) ?? new ServingTally();
    policies.set(policy, tally);
    return tally;
  };
  for (const row of rows.serving) {
    const tally = tallyOf(row.day, row.policy);
    tally.usersServed = row.usersServed;
    tally.tipsServed = row.tipsServed;
    tally.tipsWithUserReaction = row.tipsWithUserReaction;
  }
  for (const row of rows.reactions) {
    tallyOf(row.day, null).addReactions(row);
    tallyOf(row.day, row.policy).addReactions(row);
  }
  return days.map((day) => {
    const joined = signups.get(day);
    const signedUp = joined?.signups ?? 0;
    const activated = joined?.activated ?? 0;
    const policies = [...(byPolicy.get(day) ?? new Map<string, ServingTally>())].sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return {
      day,
      signups: signedUp,
      activated,
      activationRate: share(activated, signedUp),
      served: (totals.get(day) ?? new ServingTally()).metrics(),
      byPolicy: Object.fromEntries(policies.map(([policy, tally]) => [policy, tally.metrics()])),
    };
  });
}
