import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@oo/database';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import type { TipWhy } from '@oo/contracts';

export type TipChannel = 'web' | 'push';
export type TipEndReason = 'done' | 'dismiss' | 'snooze' | 'expired' | 'task_gone';

/** One candidate's score under one policy (live or shadow), as the decision saw it. */
export interface TipScoreEntry {
  policy: string;
  taskId: string;
  features: number[];
  mean: number;
  bonus: number;
  ucb: number;
}

/** A decision to log: the chosen task and everything needed to explain and replay it. */
export interface NewTip {
  userId: string;
  channel: TipChannel;
  taskId: string;
  provider: string;
  title: string;
  priority: number;
  due: string | null;
  url: string | null;
  policy: string;
  propensity: number;
  features: number[];
  /** The shadow policies' features for the chosen task, by policy. */
  shadow: Record<string, number[]> | null;
  seed: bigint;
  candidateCount: number;
  latencyMs: number;
  servedAt: Date;
  /** Every candidate's scores for the live policy and the shadows; stored with the tip. */
  scores?: TipScoreEntry[];
  /** The explanation served with it, kept so the tip served again says the same. */
  why?: TipWhy | null;
  /** An exploration pick (the scorer's ε draw, or the random fallback). */
  explored?: boolean;
  /** The id its `tip.served` is published under; unset: nothing to publish (no outbox entry). */
  servedEventId?: string;
  /** The ε the scorer drew with (its reply's `epsilon`); null/unset on the random fallback. */
  epsilon?: number | null;
}

export interface StoredTip extends Omit<
  NewTip,
  'scores' | 'why' | 'explored' | 'servedEventId' | 'epsilon'
> {
  id: string;
  why: TipWhy | null;
  explored: boolean;
  /** Null on the random fallback and for tips logged before the scorer said its ε. */
  epsilon: number | null;
  endedAt: Date | null;
  endReason: TipEndReason | null;
}

/** `created: false`: another decision got there first; `tip` is the open one it stored. */
export interface CreateTipResult {
  created: boolean;
  tip: StoredTip;
}

/**
 * Inserting, finding the open tip and inserting again: a tip that ends between the refused
 * insert and the read leaves the slot free, so the next insert may succeed. More than a few
 * rounds means tips are being ended as fast as they are created, which is a bug elsewhere.
 */
const CREATE_ATTEMPTS = 3;
/** The partial unique index behind "one open web tip per user" (schema.prisma). */
const ONE_OPEN_TIP_INDEX = 'tip_one_open_per_user_channel';

/**
 * `tip` and its `tip_score` rows, and push decisions waiting to be sent (Postgres schema
 * `recommender`). The database keeps at most one open web tip per user (partial unique index
 * `tip_one_open_per_user_channel`), so concurrent decisions on any number of instances agree on
 * one tip.
 */
@Injectable()
export class TipRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The user's open tip on the channel, if any. */
  async openTip(userId: string, channel: TipChannel): Promise<StoredTip | undefined> {
    // Not findUnique on `userId_channel`: the generated client offers that key as if the
    // index were not partial, so it is not a reliable way to say "the open one".
    const row = await this.prisma.tip.findFirst({ where: { userId, channel, endedAt: null } });
    return row ? toStoredTip(row) : undefined;
  }

  /**
   * Stores a decision as the user's open tip on its channel, or, when another one is already
   * open (a concurrent request, another instance), returns that one and stores nothing.
   */
  async createTip(tip: NewTip): Promise<CreateTipResult> {
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      try {
        const id = randomUUID();
        await this.insertTip(id, tip);
        return { created: true, tip: storedAsGiven(id, tip) };
      } catch (error) {
        if (!isUniqueViolation(error, ONE_OPEN_TIP_INDEX)) throw error;
      }
      const open = await this.openTip(tip.userId, tip.channel);
      if (open) return { created: false, tip: open };
    }
    throw new Error(
      `No open tip could be created or found for the user on channel ${tip.channel} after ${CREATE_ATTEMPTS} attempts`,
    );
  }

  /**
   * The tip and every candidate's scores in one statement (atomic without a transaction's
   * BEGIN and COMMIT round trips). A decision logs about a hundred score rows (50 candidates ×
   * live and shadow): Prisma's nested `createMany` spent 17–40 ms of CPU on them, its
   * `tip.create` in a `$transaction` with one raw score insert ~3 ms, this less again
   * (services/recommender/README.md). The partial unique index refuses a second open tip.
   */
  private async insertTip(
    id: string,
    tip: NewTip,
    db: Pick<PrismaClient, '$executeRaw'> = this.prisma,
  ): Promise<void> {
    const scores = JSON.stringify(
      (tip.scores ?? []).map(({ policy, taskId, features, mean, bonus, ucb }) => ({
        policy,
        task_id: taskId,
        features,
        mean,
        bonus,
        ucb,
      })),
    );
    const json = (value: unknown) =>
      value === null || value === undefined ? null : JSON.stringify(value);
    // Without an event to publish there is nothing for the relay to do.
    const publishedAt = tip.servedEventId ? null : tip.servedAt;
    await db.$executeRaw`
      WITH t AS (
        INSERT INTO tip (id, user_id, channel, task_id, provider, title, priority, due, url,
          policy, propensity, features, shadow, seed, candidate_count, latency_ms, served_at,
          explored, why, served_event_id, served_published_at, epsilon)
        VALUES (${id}::uuid, ${tip.userId}, ${tip.channel}::tip_channel, ${tip.taskId},
          ${tip.provider}, ${tip.title}, ${tip.priority}::int, ${tip.due}, ${tip.url},
          ${tip.policy}, ${tip.propensity}::float8, ${json(tip.features)}::jsonb,
          ${json(tip.shadow)}::jsonb, ${tip.seed}::bigint, ${tip.candidateCount}::int,
          ${tip.latencyMs}::float8, ${tip.servedAt}::timestamptz, ${tip.explored ?? false},
          ${json(tip.why)}::jsonb, ${tip.servedEventId ?? null}::uuid,
          ${publishedAt}::timestamptz, ${tip.epsilon ?? null}::float8)
        RETURNING id)
      INSERT INTO tip_score (tip_id, policy, task_id, features, mean, bonus, ucb)
      SELECT t.id, s.policy, s.task_id, s.features, s.mean, s.bonus, s.ucb
      FROM t, jsonb_to_recordset(${scores}::jsonb)
        AS s(policy text, task_id text, features jsonb, mean float8, bonus float8, ucb float8)`;
  }

  /**
   * Keeps a push decision until a device accepts it (`confirmPushDecision`): answered to the
   * notifier under the id its tip will have, but not a tip, so nothing serves, rewards or
   * expires it meanwhile.
   */
  async savePushDecision(tip: NewTip): Promise<StoredTip> {
    const id = randomUUID();
    const decision = {
      ...tip,
      seed: tip.seed.toString(),
      servedAt: tip.servedAt.toISOString(),
    } as unknown as Prisma.InputJsonObject;
    await this.prisma.pushDecision.create({
      // The wall clock, not the decision's `now`: the sweeper measures how long it has waited.
      data: { id, userId: tip.userId, decision, decidedAt: new Date() },
    });
    return storedAsGiven(id, tip);
  }

  /**
   * A device accepted the push: the decision becomes the user's tip (same id), served at
   * `sentAt`, with `servedEventId` to publish. Undefined when it is no longer waiting (confirmed
   * already — another device, a redelivery — or discarded), so a confirmation counts once.
   */
  async confirmPushDecision(
    userId: string,
    tipId: string,
    sentAt: Date,
    servedEventId: string,
  ): Promise<StoredTip | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const [waiting] = await tx.$queryRaw<Array<{ decision: unknown }>>`
        DELETE FROM push_decision WHERE id = ${tipId}::uuid AND user_id = ${userId}
        RETURNING decision`;
      if (!waiting) return undefined;
      const saved = waiting.decision as NewTip & { seed: string; servedAt: string };
      const tip: NewTip = { ...saved, seed: BigInt(saved.seed), servedAt: sentAt, servedEventId };
      await this.insertTip(tipId, tip, tx);
      return storedAsGiven(tipId, tip);
    });
  }

  /** Push decisions no device accepted by `decidedBefore`: dropped unseen. Answers how many. */
  async discardPushDecisions(decidedBefore: Date): Promise<number> {
    const { count } = await this.prisma.pushDecision.deleteMany({
      where: { decidedAt: { lt: decidedBefore } },
    });
    return count;
  }

  /** One of the user's tips, open or ended; undefined for an unknown id or another user's tip. */
  async tipOf(userId: string, tipId: string): Promise<StoredTip | undefined> {
    const row = await this.prisma.tip.findFirst({ where: { id: tipId, userId } });
    return row ? toStoredTip(row) : undefined;
  }

  /** Marks a tip's `tip.served` as stored by JetStream: the relay leaves it alone from now on. */
  async markServedPublished(tipId: string, at: Date = new Date()): Promise<void> {
    // Raw: once per decision, and Prisma's updateMany costs several times the statement.
    await this.prisma.$executeRaw`
      UPDATE tip SET served_published_at = ${at}::timestamptz
      WHERE id = ${tipId}::uuid AND served_published_at IS NULL`;
  }

  /**
   * Gives up on a tip's `tip.served` (it breaks the event's contract, so no retry can publish
   * it; the caller dead-lettered it): the relay skips it from now on.
   */
  async markServedUnpublishable(tipId: string, reason: string): Promise<void> {
    await this.prisma.tip.updateMany({
      where: { id: tipId, servedPublishedAt: null },
      data: { servedPublishError: reason.slice(0, 1024) },
    });
  }

  /**
   * Tips served before `before` whose `tip.served` never reached JetStream and can still be
   * published, oldest first.
   */
  async servedUnpublished(
    before: Date,
    limit: number,
  ): Promise<Array<{ tip: StoredTip; eventId: string }>> {
    const rows = await this.prisma.tip.findMany({
      where: {
        servedPublishedAt: null,
        servedPublishError: null,
        servedEventId: { not: null },
        servedAt: { lt: before },
      },
      orderBy: { servedAt: 'asc' },
      take: limit,
    });
    return rows.map((row) => ({ tip: toStoredTip(row), eventId: row.servedEventId! }));
  }

  /** Ends an open tip; false when it does not exist or had already ended (the first end wins). */
  async endTip(tipId: string, reason: TipEndReason, at: Date = new Date()): Promise<boolean> {
    const { count } = await this.prisma.tip.updateMany({
      where: { id: tipId, endedAt: null },
      data: { endedAt: at, endReason: reason },
    });
    return count === 1;
  }

  /**
   * Ends, as `task_gone`, the user's open tips at `provider` served before `seenAt` whose task
   * is not among `openTaskIds` (every open tip there when `openTaskIds` is null: the source
   * was disconnected). A tip served after `seenAt` was chosen from a newer set than the one
   * that reports it gone, so an event handled late ends nothing it should not. Answers the
   * ids ended.
   */
  async endTipsOfGoneTasks(
    userId: string,
    provider: string,
    openTaskIds: readonly string[] | null,
    seenAt: Date,
  ): Promise<string[]> {
    // One statement: `ended_at IS NULL` is re-checked on each locked row, so a tip a reaction
    // ended meanwhile keeps that end (the first end wins, as in `endTip`).
    const ended = await this.prisma.tip.updateManyAndReturn({
      where: {
        userId,
        provider,
        endedAt: null,
        servedAt: { lt: seenAt },
        ...(openTaskIds === null ? {} : { taskId: { notIn: [...openTaskIds] } }),
      },
      data: { endedAt: seenAt, endReason: 'task_gone' },
      select: { id: true },
    });
    return ended.map((tip) => tip.id);
  }

  /** A tip's logged scores, live and shadow, in a stable order. */
  async scoresOf(tipId: string): Promise<TipScoreEntry[]> {
    const rows = await this.prisma.tipScore.findMany({
      where: { tipId },
      orderBy: [{ policy: 'asc' }, { taskId: 'asc' }],
    });
    return rows.map(({ policy, taskId, features, mean, bonus, ucb }) => ({
      policy,
      taskId,
      features: features as number[],
      mean,
      bonus,
      ucb,
    }));
  }
}

/**
 * The columns a `StoredTip` is read from: Prisma's `Tip` model, or a `pg` row selected with
 * `STORED_TIP_COLUMNS` (which reads an int8 as its decimal string).
 */
export interface StoredTipColumns extends Omit<StoredTip, 'features' | 'shadow' | 'seed' | 'why'> {
  features: unknown;
  shadow: unknown;
  seed: bigint | string;
  why: unknown;
}

/** `STORED_TIP_COLUMNS` for raw SQL over `tip`, named as the model's fields. */
export const STORED_TIP_COLUMNS = `id, user_id AS "userId", channel, task_id AS "taskId", provider,
  title, priority, due, url, policy, propensity, features, shadow, seed,
  candidate_count AS "candidateCount", latency_ms AS "latencyMs", served_at AS "servedAt",
  why, explored, epsilon, ended_at AS "endedAt", end_reason AS "endReason"`;

export function toStoredTip(row: StoredTipColumns): StoredTip {
  return {
    id: row.id,
    userId: row.userId,
    channel: row.channel,
    taskId: row.taskId,
    provider: row.provider,
    title: row.title,
    priority: row.priority,
    due: row.due,
    url: row.url,
    policy: row.policy,
    propensity: row.propensity,
    features: row.features as number[],
    shadow: row.shadow as Record<string, number[]> | null,
    seed: BigInt(row.seed),
    candidateCount: row.candidateCount,
    latencyMs: row.latencyMs,
    servedAt: row.servedAt,
    why: row.why as TipWhy | null,
    explored: row.explored,
    epsilon: row.epsilon,
    endedAt: row.endedAt,
    endReason: row.endReason,
  };
}

/** The tip `createTip` just stored, without reading it back: the row holds exactly this. */
function storedAsGiven(id: string, tip: NewTip): StoredTip {
  const { scores: _scores, servedEventId: _eventId, why, explored, epsilon, ...fields } = tip;
  return {
    ...fields,
    id,
    why: why ?? null,
    explored: explored ?? false,
    epsilon: epsilon ?? null,
    endedAt: null,
    endReason: null,
  };
}
