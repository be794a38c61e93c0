import { Injectable } from '@nestjs/common';
import { createEnvelope, type SyncedTask, type TaskCompletedV1 } from '@oo/contracts';
import { isForeignKeyViolation } from '@oo/database';
import { EventPublisher } from '@oo/messaging';
import { v5 as uuidv5 } from 'uuid';
import { PrismaClient } from '../generated/prisma/client.js';

/** Which path saw a completion: the `via` of `signals.task.completed`. */
export type CompletionVia = TaskCompletedV1['via'];

/** One completion of one task, as a path saw it. */
export interface Completion {
  userId: string;
  provider: string;
  taskId: string;
  /**
   * Tells completions of one task apart, the same whichever path sees it:
   * `completionKey(task)` — the due completed for a recurring task, `closed` otherwise.
   */
  completionKey: string;
  completedAt: Date;
  via: CompletionVia;
}

/** Names `task.completed` event ids after the completion (uuid v5), so a retry is a duplicate. */
const TASK_COMPLETED_NAMESPACE = '9a4c2f61-7d3e-4b85-a0f9-2e6b1c8d5a47';

/** The key of a non-recurring task's completion: it closes once. */
export const ONE_TIME_COMPLETION = 'closed';

/**
 * The completion key of a task (normalised, `normaliseTask`) in the state it had when it was
 * completed: a recurring task completes once per due (the one that was due, before Todoist
 * moved it forward); any other task once. Every path must key the task as it was *before*
 * the completion: a webhook its `old_item`, reconcile its last snapshot, oO the task it closed.
 */
export function completionKey(task: Pick<SyncedTask, 'isRecurring' | 'due'>): string {
  return task.isRecurring && task.due ? `due:${task.due}` : ONE_TIME_COMPLETION;
}

/**
 * `task_completion`: the one place webhooks, reconcile and oO's own close meet, so each
 * completion publishes `signals.task.completed.<u>` exactly once, with the `via` of the path
 * that claimed it first. A claim and its event are two steps: the row is written first, the
 * event published (its id derived from the completion, so JetStream drops a repeat), then the
 * row marked published — a crash in between leaves an unpublished claim that the next path to
 * see the completion (or a redelivery of the same one) publishes.
 */
@Injectable()
export class CompletionLedger {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Records a completion; true when this call claimed it (it was new). False, with nothing
   * written or published, when the user is not connected (any more): a path that checked the
   * connection before a disconnect or account deletion committed must not count for them.
   */
  async record(completion: Completion): Promise<boolean> {
    const { userId, provider, taskId, completionKey: key } = completion;
    const id = { userId, provider, taskId, completionKey: key };
    let claimed;
    try {
      claimed = await this.prisma.taskCompletion.createMany({
        data: [{ ...id, via: completion.via, completedAt: completion.completedAt }],
        skipDuplicates: true,
      });
    } catch (error) {
      // The row's connection is gone (foreign key): disconnected or deleted meanwhile.
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
    const row = await this.prisma.taskCompletion.findUnique({
      where: { userId_provider_taskId_completionKey: id },
    });
    // Removed between the claim and this read: the removal's cascade took the row with the
    // connection, so nothing is left to count it for.
    if (!row) return false;
    if (row.publishedAt === null) {
      await this.publisher.publishEnvelope(
        createEnvelope(
          'task.completed',
          userId,
          {
            source: provider,
            taskId,
            completedAt: row.completedAt.toISOString(),
            via: row.via,
          },
          { id: taskCompletedEventId(id), occurredAt: row.completedAt },
        ),
      );
      await this.prisma.taskCompletion.updateMany({
        where: { ...id, publishedAt: null },
        data: { publishedAt: new Date() },
      });
    }
    return claimed.count === 1;
  }

  /** Whether a completion is already recorded (by any path). */
  async has(userId: string, provider: string, taskId: string, key: string): Promise<boolean> {
    const row = await this.prisma.taskCompletion.findUnique({
      where: {
        userId_provider_taskId_completionKey: { userId, provider, taskId, completionKey: key },
      },
      select: { taskId: true },
    });
    return row !== null;
  }
}

function taskCompletedEventId(id: {
  userId: string;
  provider: string;
  taskId: string;
  completionKey: string;
}): string {
  return uuidv5(
    `${id.userId}:${id.provider}:${id.taskId}:${id.completionKey}`,
    TASK_COMPLETED_NAMESPACE,
  );
}
