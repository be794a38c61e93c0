import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

export type TaskHoldReason = 'snooze' | 'dismiss' | 'done';

/** A task kept out of the candidates until `until`. */
export interface TaskHold {
  userId: string;
  provider: string;
  taskId: string;
  until: Date;
  reason: TaskHoldReason;
}

/**
 * `task_hold`: the tasks a user snoozed (until their time), dismissed (for the cool-off) or
 * marked done (until integrations hides it itself).
 * Deciding reads it to drop candidates; reacting writes it. A newer hold of a task replaces
 * the older one: the user’s latest word counts.
 */
@Injectable()
export class TaskHoldRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Keeps the task out of the user's candidates until `hold.until`. A reaction's hold is
   * written with the reaction itself (`ReactionStore`); this one stands alone.
   */
  async hold(hold: TaskHold): Promise<void> {
    const { userId, provider, taskId, until, reason } = hold;
    await this.prisma.taskHold.upsert({
      where: { userId_provider_taskId: { userId, provider, taskId } },
      create: { userId, provider, taskId, until, reason },
      update: { until, reason },
    });
  }

  /** The ids of the user's tasks at `provider` that are held at `now`. */
  async heldTaskIds(userId: string, provider: string, now: Date): Promise<Set<string>> {
    const rows = await this.prisma.taskHold.findMany({
      where: { userId, provider, until: { gt: now } },
      select: { taskId: true },
    });
    return new Set(rows.map((row) => row.taskId));
  }

  /** The user's holds still in force at `now` (for an operator or a test to read). */
  async activeHolds(userId: string, now: Date): Promise<TaskHold[]> {
    const rows = await this.prisma.taskHold.findMany({
      where: { userId, until: { gt: now } },
      orderBy: [{ provider: 'asc' }, { taskId: 'asc' }],
    });
    return rows.map(({ userId: owner, provider, taskId, until, reason }) => ({
      userId: owner,
      provider,
      taskId,
      until,
      reason,
    }));
  }

  /** Forgets holds that ran out before `before`; answers how many. */
  async pruneExpired(before: Date): Promise<number> {
    const { count } = await this.prisma.taskHold.deleteMany({ where: { until: { lte: before } } });
    return count;
  }
}
