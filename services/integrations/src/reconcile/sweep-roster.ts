import { Injectable } from '@nestjs/common';
import type { ConnectionStatus } from '../connections/connection.repository.js';
import { PrismaClient } from '../generated/prisma/client.js';

/** A connection as a sweep sees it: who, and how recently they were synced. No token. */
export interface SweepEntry {
  userId: string;
  status: ConnectionStatus;
  lastSyncAt: Date | null;
}

/**
 * The connections a reconcile sweep may sync: `ok`, and `rate_limited` (the sweep checks
 * whether their wait is over). `needs_reconnect` would only spend budget on a refused token.
 * Least recently synced first, so a sweep cut short still reaches those who waited longest.
 */
@Injectable()
export class SweepRoster {
  constructor(private readonly prisma: PrismaClient) {}

  async connections(provider: string): Promise<SweepEntry[]> {
    return this.prisma.connection.findMany({
      where: { provider, status: { in: ['ok', 'rate_limited'] } },
      select: { userId: true, status: true, lastSyncAt: true },
      orderBy: [{ lastSyncAt: { sort: 'asc', nulls: 'first' } }, { userId: 'asc' }],
    });
  }
}
