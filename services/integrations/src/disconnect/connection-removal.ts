import { Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { todoistKeys } from '../todoist/todoist-keys.js';
import { GrantRevocation } from './grant-revocation.js';

/** Providers whose grant can be revoked; today Todoist's only. */
const REVOCABLE = ['todoist'] as const;

/**
 * The one place that knows what integrations holds of a user for a provider, and removes it:
 * the connection (encrypted tokens), the task snapshot (task titles), recorded completions and
 * every Redis key (`todoistKeys.all`: cache, sync lock, rate budget). Disconnect removes one
 * provider, account deletion all of them. The grant is revoked at the provider afterwards, in
 * the background, so a provider that is down never blocks the removal. Safe to run again.
 * Webhook delivery ids name no user and age out.
 */
@Injectable()
export class ConnectionRemoval {
  private readonly logger = new Logger(ConnectionRemoval.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly connections: ConnectionRepository,
    private readonly revocation: GrantRevocation,
  ) {}

  /** Removes the user's data of `provider` (every provider when omitted); true if connected. */
  async remove(userId: string, provider?: string): Promise<boolean> {
    const tokens = await this.tokensToRevoke(userId, provider);
    const where = provider === undefined ? { userId } : { userId, provider };
    const [deleted] = await this.prisma.$transaction([
      this.prisma.connection.deleteMany({ where }),
      this.prisma.taskSnapshot.deleteMany({ where }),
      this.prisma.taskCompletion.deleteMany({ where }),
    ]);
    if (provider === undefined || provider === 'todoist') {
      await this.redis.del(...todoistKeys.all(userId));
    }
    for (const accessToken of tokens) void this.revocation.revokeInBackground(userId, accessToken);
    return deleted.count > 0;
  }

  /** Read before the rows go; a token that no longer decrypts cannot be revoked, only deleted. */
  private async tokensToRevoke(userId: string, provider?: string): Promise<string[]> {
    const providers = REVOCABLE.filter((p) => provider === undefined || p === provider);
    const tokens: string[] = [];
    for (const p of providers) {
      try {
        const stored = await this.connections.readTokens(userId, p);
        if (stored) tokens.push(stored.accessToken);
      } catch (error) {
        this.logger.warn(`cannot revoke ${p} for ${userId}: ${(error as Error).name}`);
      }
    }
    return tokens;
  }
}
