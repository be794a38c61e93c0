import { Injectable } from '@nestjs/common';
import type { SyncedTask } from '@oo/contracts';
import { isForeignKeyViolation } from '@oo/database';
import { PrismaClient } from '../generated/prisma/client.js';

/** The last full set of open tasks read from a provider, as stored. */
export interface TaskSnapshot {
  /** Every open task (up to `MAX_SYNCED_TASKS`), not only those that fit in one message. */
  tasks: SyncedTask[];
  /**
   * `taskSetDigest` of the tasks published (`task.synced`, the cache): those that fit in one
   * message. Tells the next sync whether what it publishes changed.
   */
  digest: string;
  syncedAt: Date;
}

/** `task_snapshot` (Postgres schema `integrations`): one row per user and provider. */
@Injectable()
export class TaskSnapshotRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(userId: string, provider: string): Promise<TaskSnapshot | undefined> {
    const row = await this.prisma.taskSnapshot.findUnique({
      where: { userId_provider: { userId, provider } },
    });
    if (!row) return undefined;
    return {
      tasks: row.tasks as unknown as SyncedTask[],
      digest: row.digest,
      syncedAt: row.syncedAt,
    };
  }

  /**
   * Saves the user's snapshot; false, with nothing written, when the user is not connected
   * (any more): a sync that read the tasks before a disconnect or account deletion committed
   * must not leave their titles behind.
   */
  async save(userId: string, provider: string, snapshot: TaskSnapshot): Promise<boolean> {
    const fields = {
      tasks: snapshot.tasks as unknown as object[],
      digest: snapshot.digest,
      syncedAt: snapshot.syncedAt,
    };
    try {
      await this.prisma.taskSnapshot.upsert({
        where: { userId_provider: { userId, provider } },
        create: { userId, provider, ...fields },
        update: fields,
      });
      return true;
    } catch (error) {
      // The row's connection is gone (foreign key): the removal won the race.
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  async delete(userId: string, provider: string): Promise<void> {
    await this.prisma.taskSnapshot.deleteMany({ where: { userId, provider } });
  }
}
