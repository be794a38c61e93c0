import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { SyncLock } from '../sync/sync-lock.js';
import { todoistKeys } from '../todoist/todoist-keys.js';
import { GrantRevocation } from './grant-revocation.js';
import { PendingRevocationRepository } from './pending-revocation.repository.js';

/**
 * How long a removal waits for a running sync of the user: most take well under a second; one
 * stuck on a slow Todoist (up to SYNC_LOCK_MS) loses the race, and re-checks the connection
 * before it publishes.
 */
const SYNC_WAIT_MS = 15_000;
const SYNC_POLL_MS = 50;

/** Providers whose grant can be revoked; today Todoist's only. */
const REVOCABLE = ['todoist'] as const;

/**
 * The one place that knows what integrations holds of a user for a provider, and removes it:
 * the connection (encrypted tokens) and with it, by the foreign keys' cascade, the task
 * snapshot (task titles) and recorded completions; and every Redis key of the user
 * (`todoistKeys.all`, the one list of them).
 * Disconnect removes one provider, account deletion all of them. The grant's revoke is queued
 * in `pending_revocation` in the same transaction (its access token re-encrypted there, the
 * only thing kept) and done in the background by `GrantRevocation`, so a provider that is
 * down never blocks the removal and a restart never loses the revoke. Safe to run again.
 * Webhook delivery ids name no user and age out.
 */
@Injectable()
export class ConnectionRemoval {
  private readonly logger = new Logger(ConnectionRemoval.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly syncLock: SyncLock,
    private readonly redis: Redis,
    private readonly connections: ConnectionRepository,
    private readonly pending: PendingRevocationRepository,
    private readonly revocation: GrantRevocation,
  ) {}

  /** Removes the user's data of `provider` (every provider when omitted); true if connected. */
  async remove(userId: string, provider?: string): Promise<boolean> {
    const todoist = provider === undefined || provider === 'todoist';
    // No sync may overlap the removal: one past its Todoist read would still publish
    // `task.synced` (task titles) for a user who is gone — after an account deletion's purge
    // of their history, where it would stay. The lock key goes with the user's other keys.
    const lock = todoist ? await this.waitForSyncs(userId) : undefined;
    const where = provider === undefined ? { userId } : { userId, provider };
    const revocable = REVOCABLE.filter((p) => provider === undefined || p === provider);
    try {
      const { deleted, queued } = await this.removeRows(userId, revocable, where);
      if (todoist) await this.redis.del(...todoistKeys.all(userId));
      if (queued > 0) this.revocation.kick();
      return deleted > 0;
    } finally {
      // Deleted with the keys already, or — a step failed, still connected — given back now
      // rather than lapsing in 2 min (the release only deletes the key if it still holds ours).
      if (lock) await this.syncLock.release(userId, lock);
    }
  }

  private removeRows(
    userId: string,
    revocable: readonly string[],
    where: { userId: string; provider?: string },
  ): Promise<{ deleted: number; queued: number }> {
    return this.prisma.$transaction(async (tx) => {
      const grants = await this.connections.takeAccessTokens(tx, userId, revocable);
      for (const grant of grants) {
        await this.pending.add(tx, userId, grant.provider, grant.accessToken);
      }
      // `task_snapshot` and `task_completion` go with it (ON DELETE CASCADE): they cannot
      // exist without their connection, so there is nothing else to delete, and a sync or a
      // completion racing this removal fails on the foreign key instead of writing them back.
      const connections = await tx.connection.deleteMany({ where });
      return { deleted: connections.count, queued: grants.length };
    });
  }

  /**
   * Takes the user's sync lock (held until the removal deletes it with the user's keys; its
   * token, or undefined when the wait ran out), waiting
   * for a running sync to finish. Bounded: a sync stuck past the wait loses the race rather than
   * holding up a disconnect or a deletion.
   */
  private async waitForSyncs(userId: string): Promise<string | undefined> {
    const deadline = Date.now() + SYNC_WAIT_MS;
    for (;;) {
      const token = await this.syncLock.acquire(userId);
      if (token !== undefined) return token;
      if (Date.now() >= deadline) {
        this.logger.warn(`removal of ${userId} went ahead while a sync still held its lock`);
        return undefined;
      }
      await sleep(SYNC_POLL_MS);
    }
  }
}
