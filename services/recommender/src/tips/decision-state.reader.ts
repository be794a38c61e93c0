import { Injectable } from '@nestjs/common';
import pg from 'pg';
import {
  STORED_TIP_COLUMNS,
  toStoredTip,
  type StoredTip,
  type StoredTipColumns,
  type TipChannel,
} from './tip.repository.js';

export interface DecisionState {
  open: StoredTip | undefined;
  held: Set<string>;
}

/**
 * One round trip as a prepared statement: parsed and planned once per connection, not on
 * every request.
 */
const DECISION_STATE: Omit<pg.QueryConfig, 'values'> = {
  name: 'recommender.decision-state',
  text: `SELECT ${STORED_TIP_COLUMNS}, h.held
    FROM (SELECT ARRAY(SELECT task_id FROM task_hold
            WHERE user_id = $1 AND provider = $2 AND until > $3) AS held) h
    LEFT JOIN tip t ON t.user_id = $1 AND t.channel = $4::tip_channel AND t.ended_at IS NULL`,
};

/**
 * What every `rpc.recommender.recommend` reads first: the user's open tip on the channel and the
 * ids of the user's tasks at `provider` held (snoozed, dismissed) at `now` (`task_hold`, written
 * by reacting). Read with `pg` on the pool Prisma uses: Prisma's `$queryRaw` cost ~0.4 ms more
 * per call (and 4× the CPU), a good part of a re-serve (services/recommender/README.md).
 */
@Injectable()
export class DecisionStateReader {
  constructor(private readonly pool: pg.Pool) {}

  async read(
    userId: string,
    channel: TipChannel,
    provider: string,
    now: Date,
  ): Promise<DecisionState> {
    const { rows } = await this.pool.query<Partial<StoredTipColumns> & { held: string[] }>({
      ...DECISION_STATE,
      values: [userId, provider, now, channel],
    });
    const [row] = rows;
    return {
      open: row?.id ? toStoredTip(row as StoredTipColumns) : undefined,
      held: new Set(row?.held ?? []),
    };
  }
}
