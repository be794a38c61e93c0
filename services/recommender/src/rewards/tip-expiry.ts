import { Inject, Injectable } from '@nestjs/common';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { TipReactions } from '../reacting/tip-reactions.js';

/** Tips expired per query; a pass takes at most `MAX_BATCHES` of them, the next tick the rest. */
const BATCH = 100;
const MAX_BATCHES = 10;
/** Far above what `MAX_BATCHES` reactions take; a pass that hangs past it is rolled back. */
const PASS_TIMEOUT_MS = 120_000;
/**
 * How long after its window a tip waits before it is recorded `expired`. A completion in the
 * task app just before the window closed can reach us later (a delayed webhook, the next
 * reconcile run): it still earns its +1 if it arrives within this grace, because the tip has
 * no terminal reaction yet. The `expired` itself is still reacted at served + the window.
 */
export const EXPIRY_GRACE_MS = 30 * 60_000;

interface DueTip {
  id: string;
  userId: string;
  servedAt: Date;
}

/** `undefined`: another instance was running a pass, so this one did nothing. */
export type ExpiryPass = { expired: number } | undefined;

/**
 * A tip with no terminal reaction `TIP_EXPIRY_HOURS` after it was served is recorded as
 * `expired` (reward 0, `source: expiry`, reacted at the moment it expired): whether it is
 * still open or ended `task_gone` without a terminal reaction. It is recorded only once
 * `EXPIRY_GRACE_MS` more have passed, so a late-reported completion inside the window wins.
 * The reward and its feedback event go through `TipReactions`, like every other reaction,
 * which sets the tip's `terminal_at`: that takes it out of the candidates for good.
 *
 * Several instances: the reaction's key (one terminal reaction per tip) already makes a
 * second `expired` impossible; so that two instances do not both walk the same tips, a pass
 * runs under a transaction-scoped advisory lock (`pg_try_advisory_xact_lock`, keyed by the
 * schema). An instance that does not get it skips its pass; a holder that dies loses it with
 * its connection, so nothing is stuck. The lock does not block rows (the reactions are
 * written on other connections while it is held), so users reacting meanwhile never wait.
 * All state is in the tables: a restart picks up whatever came due while it was down.
 */
@Injectable()
export class TipExpiry {
  private readonly windowMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly reactions: TipReactions,
    @Inject(RECOMMENDER_ENV) env: RecommenderEnv,
  ) {
    this.windowMs = env.TIP_EXPIRY_HOURS * 3_600_000;
  }

  /** Expires the tips due at `now`; stops between two tips once `signal` aborts. */
  expireDue(now: Date, signal?: AbortSignal): Promise<ExpiryPass> {
    return this.prisma.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<Array<{ taken: boolean }>>`
          SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || '.tip_expiry', 0)) AS taken`;
        if (!lock?.taken) return undefined;
        let expired = 0;
        for (let batch = 0; batch < MAX_BATCHES && !signal?.aborted; batch++) {
          const due = await this.dueTips(now);
          for (const tip of due) {
            if (signal?.aborted) break;
            if (await this.expire(tip)) expired += 1;
          }
          if (due.length < BATCH) break;
        }
        return { expired };
      },
      { timeout: PASS_TIMEOUT_MS },
    );
  }

  /** Oldest first; the predicate matches the partial index `tip_expiry_candidates`. */
  private dueTips(now: Date): Promise<DueTip[]> {
    const servedBefore = new Date(now.getTime() - this.windowMs - EXPIRY_GRACE_MS);
    return this.prisma.$queryRaw<DueTip[]>`
      SELECT t.id, t.user_id AS "userId", t.served_at AS "servedAt"
      FROM tip t
      WHERE t.terminal_at IS NULL
        AND t.served_at <= ${servedBefore}
        -- terminal_at is set with every terminal reaction; this guards rows written otherwise.
        AND NOT EXISTS (
          SELECT 1 FROM tip_reaction r WHERE r.tip_id = t.id AND r.kind = 'terminal'
        )
      ORDER BY t.served_at
      LIMIT ${BATCH}`;
  }

  private async expire(tip: DueTip): Promise<boolean> {
    const outcome = await this.reactions.react({
      userId: tip.userId,
      tipId: tip.id,
      action: 'expired',
      source: 'expiry',
      at: new Date(tip.servedAt.getTime() + this.windowMs),
    });
    // A conflict: the user (or a completion) reacted between the query and now; theirs counts.
    return outcome.outcome === 'accepted';
  }
}
