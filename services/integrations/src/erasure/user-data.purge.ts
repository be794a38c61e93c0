import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PrismaClient } from '../generated/prisma/client.js';
import { todoistKeys } from '../todoist/todoist-keys.js';

/**
 * What integrations holds of a user, removed on account deletion: the connection (encrypted
 * tokens), the task snapshot (task titles), recorded completions, and every Redis key (cache,
 * sync lock, rate budget). Safe to run again. Webhook delivery ids name no user and age out.
 */
@Injectable()
export class UserDataPurge {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
  ) {}

  async purge(userId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.connection.deleteMany({ where: { userId } }),
      this.prisma.taskSnapshot.deleteMany({ where: { userId } }),
      this.prisma.taskCompletion.deleteMany({ where: { userId } }),
    ]);
    await this.redis.del(...todoistKeys.all(userId));
  }
}
