import { Injectable } from '@nestjs/common';
import type { SyncedTask } from '@oo/contracts';
import { PrismaClient } from '../generated/prisma/client.js';

/** The last full set of open tasks read from a provider, as stored. */
export interface TaskSnapshot {
  tasks: SyncedTask[];
  /** `taskSetDigest(tasks)`: tells the next sync whether the set changed. */
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

  async save(userId: string, provider: string, snapshot: TaskSnapshot): Promise<void> {
    const fields = {
      tasks: snapshot.tasks as unknown as object[],
      digest: snapshot.digest,
      syncedAt: snapshot.syncedAt,
    };
    await this.prisma.taskSnapshot.upsert({
      where: { userId_provider: { userId, provider } },
      create: { userId, provider, ...fields },
      update: fields,
    });
  }

  async delete(userId: string, provider: string): Promise<void> {
    await this.prisma.taskSnapshot.deleteMany({ where: { userId, provider } });
  }
}
