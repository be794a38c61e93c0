import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type { LoggedDecision, LoggedUcb } from './target-probability.js';

/** Which decisions to read: served at or after `since`, of one user. */
export interface DecisionFilter {
  since?: Date;
  userId?: string;
}

/**
 * Tips per page: a page is one findMany for the tips with their scores and terminal reaction,
 * so a log of any size costs a few queries per thousand decisions and never holds all the
 * scores in memory.
 */
export const DECISION_LOG_PAGE_SIZE = 1000;

/** The tip log as off-policy evaluation reads it (Postgres schema `recommender`). */
@Injectable()
export class DecisionLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Every logged decision matching the filter, with the UCBs of the named policies only (the
   * others are not read). Pages by tip id, the primary key: unique, so a page ends between two
   * tips however many share one `served_at`, and no decision is skipped or read twice (paging
   * by `served_at` alone would); and each page is a range of the key's index.
   */
  async *decisions(
    filter: DecisionFilter,
    scoredPolicies: readonly string[],
    pageSize: number = DECISION_LOG_PAGE_SIZE,
  ): AsyncGenerator<LoggedDecision> {
    let after: string | undefined;
    for (;;) {
      const page = await this.prisma.tip.findMany({
        where: {
          ...(filter.userId === undefined ? {} : { userId: filter.userId }),
          ...(filter.since === undefined ? {} : { servedAt: { gte: filter.since } }),
          ...(after === undefined ? {} : { id: { gt: after } }),
        },
        orderBy: { id: 'asc' },
        take: pageSize,
        select: {
          id: true,
          policy: true,
          taskId: true,
          propensity: true,
          candidateCount: true,
          epsilon: true,
          endedAt: true,
          reactions: { where: { kind: 'terminal' }, select: { reward: true } },
          scores: {
            where: { policy: { in: [...scoredPolicies] } },
            select: { policy: true, taskId: true, ucb: true },
          },
        },
      });
      for (const tip of page) {
        const ucbs = new Map<string, LoggedUcb[]>();
        for (const { policy, taskId, ucb } of tip.scores) {
          const list = ucbs.get(policy);
          if (list) list.push({ taskId, ucb });
          else ucbs.set(policy, [{ taskId, ucb }]);
        }
        yield {
          tipId: tip.id,
          policy: tip.policy,
          taskId: tip.taskId,
          propensity: tip.propensity,
          candidateCount: tip.candidateCount,
          epsilon: tip.epsilon,
          reward: tip.reactions[0]?.reward ?? null,
          open: tip.endedAt === null,
          ucbs,
        };
      }
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.id;
    }
  }
}
