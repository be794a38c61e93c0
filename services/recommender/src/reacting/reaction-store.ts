import { Injectable } from '@nestjs/common';
import pg from 'pg';
import type { Tip as TipRow, TipReaction as ReactionRow } from '../generated/prisma/client.js';
import type { TaskHold } from '../holds/task-hold.repository.js';
import type { TipEndReason } from '../tips/tip.repository.js';
import type { ReactionKind } from './reaction-rules.js';

/** What a feedback event is made of: the tip as it was decided. */
export type FeedbackTip = Pick<
  TipRow,
  'id' | 'userId' | 'taskId' | 'provider' | 'policy' | 'features' | 'propensity' | 'shadow'
>;

export type StoredReaction = Pick<
  ReactionRow,
  'tipId' | 'kind' | 'action' | 'reward' | 'source' | 'reactedAt' | 'eventId'
>;

/** A reaction to store, with what it does to its tip (worked out by the reaction's rule). */
export interface ReactionWrite {
  userId: string;
  tipId: string;
  kind: ReactionKind;
  action: string;
  reward: number;
  source: string;
  at: Date;
  eventId: string;
  /** How a terminal reaction ends the tip, if it is still open. */
  ends?: TipEndReason;
  /** Until when, and why, the tip's task stays out of the candidates. */
  hold?: Pick<TaskHold, 'until' | 'reason'>;
}

/**
 * One statement, so one round trip and one implicit transaction: the tip (of this user, or
 * nothing happens), the reaction (the primary key `(tip_id, kind)` refuses a second of its
 * kind, failing the whole statement), for a terminal one the tip's `terminal_at` and its end
 * if still open (re-checked on the locked row, so the first end wins), and the task's hold.
 * Seven round trips as a Prisma transaction held a pooled connection ~7× as long and were
 * most of a reaction's time and CPU.
 */
const STORE_REACTION: Omit<pg.QueryConfig, 'values'> = {
  name: 'recommender.store-reaction',
  text: `WITH chosen AS (
      SELECT id, user_id, task_id, provider, policy, features, propensity, shadow
      FROM tip WHERE id = $1::uuid AND user_id = $2
    ), reaction AS (
      INSERT INTO tip_reaction (tip_id, kind, action, reward, source, reacted_at, event_id)
      SELECT id, $3::tip_reaction_kind, $4, $5, $6, $7, $8::uuid FROM chosen
      RETURNING tip_id
    ), terminal AS (
      UPDATE tip SET terminal_at = $7,
        end_reason = CASE WHEN ended_at IS NULL THEN $9::tip_end_reason ELSE end_reason END,
        ended_at = CASE WHEN ended_at IS NULL AND $9::tip_end_reason IS NOT NULL
          THEN $7 ELSE ended_at END
      WHERE id IN (SELECT tip_id FROM reaction) AND $3::tip_reaction_kind = 'terminal'
      RETURNING id
    ), held AS (
      INSERT INTO task_hold (user_id, provider, task_id, until, reason)
      SELECT user_id, provider, task_id, $10, $11::task_hold_reason FROM chosen
      WHERE $10::timestamptz IS NOT NULL AND EXISTS (SELECT 1 FROM reaction)
      ON CONFLICT (user_id, provider, task_id)
        DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason
      RETURNING task_id
    )
    SELECT id, user_id AS "userId", task_id AS "taskId", provider, policy, features,
      propensity, shadow
    FROM chosen`,
};

/** Once per reaction: a prepared statement rather than Prisma's `updateMany` (~0.4 ms of CPU). */
const MARK_PUBLISHED: Omit<pg.QueryConfig, 'values'> = {
  name: 'recommender.mark-reaction-published',
  text: `UPDATE tip_reaction SET published_at = $3
    WHERE tip_id = $1::uuid AND kind = $2::tip_reaction_kind AND published_at IS NULL`,
};

/** Its feedback breaks the event's contract (dead-lettered): the relay never retries it. */
const MARK_UNPUBLISHABLE: Omit<pg.QueryConfig, 'values'> = {
  name: 'recommender.mark-reaction-unpublishable',
  text: `UPDATE tip_reaction SET publish_error = $3
    WHERE tip_id = $1::uuid AND kind = $2::tip_reaction_kind AND published_at IS NULL`,
};

/**
 * Stores reactions with `pg` on the pool Prisma uses (as `DecisionStateReader` reads the open
 * tip): the statement is parsed and planned once per connection.
 */
@Injectable()
export class ReactionStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * The tip and the stored reaction; undefined when the user has no such tip. Throws the
   * database's unique violation when the tip already has a reaction of this kind.
   */
  async store(
    write: ReactionWrite,
  ): Promise<{ tip: FeedbackTip; row: StoredReaction } | undefined> {
    const { rows } = await this.pool.query<FeedbackTip>({
      ...STORE_REACTION,
      values: [
        write.tipId,
        write.userId,
        write.kind,
        write.action,
        write.reward,
        write.source,
        write.at,
        write.eventId,
        write.ends ?? null,
        write.hold?.until ?? null,
        write.hold?.reason ?? null,
      ],
    });
    const [tip] = rows;
    if (!tip) return undefined;
    return {
      tip,
      row: {
        tipId: tip.id,
        kind: write.kind,
        action: write.action,
        reward: write.reward,
        source: write.source,
        reactedAt: write.at,
        eventId: write.eventId,
      },
    };
  }

  /** Its feedback event is stored by JetStream: the relay leaves it alone from now on. */
  async markPublished(tipId: string, kind: ReactionKind, at: Date = new Date()): Promise<void> {
    await this.pool.query({ ...MARK_PUBLISHED, values: [tipId, kind, at] });
  }

  /** Gives up on its feedback event (dead-lettered with `reason`): the relay skips it. */
  async markUnpublishable(tipId: string, kind: ReactionKind, reason: string): Promise<void> {
    await this.pool.query({ ...MARK_UNPUBLISHABLE, values: [tipId, kind, reason] });
  }
}
