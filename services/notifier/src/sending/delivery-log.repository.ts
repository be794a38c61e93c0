import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type { AttemptOutcome } from './push-sender.js';

export interface LoggedAttempt {
  userId: string;
  tipId: string;
  endpointHash: string;
  attempt: number;
  outcome: AttemptOutcome;
  statusCode?: number | undefined;
  detail?: string | undefined;
  at: Date;
}

/** The delivery log (`push_delivery`): every request to a push service and its answer. */
@Injectable()
export class DeliveryLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(attempt: LoggedAttempt): Promise<void> {
    await this.prisma.pushDelivery.create({
      data: {
        id: randomUUID(),
        userId: attempt.userId,
        tipId: attempt.tipId,
        endpointHash: attempt.endpointHash,
        attempt: attempt.attempt,
        outcome: attempt.outcome,
        statusCode: attempt.statusCode ?? null,
        detail: attempt.detail?.slice(0, 200) ?? null,
        at: attempt.at,
      },
    });
  }

  async ofUser(userId: string): Promise<LoggedAttempt[]> {
    const rows = await this.prisma.pushDelivery.findMany({
      where: { userId },
      orderBy: [{ at: 'asc' }, { attempt: 'asc' }],
    });
    return rows.map((row) => ({
      userId: row.userId,
      tipId: row.tipId,
      endpointHash: row.endpointHash,
      attempt: row.attempt,
      outcome: row.outcome as AttemptOutcome,
      statusCode: row.statusCode ?? undefined,
      detail: row.detail ?? undefined,
      at: row.at,
    }));
  }

  /** Forgets requests made before `before`; answers how many. */
  async prune(before: Date): Promise<number> {
    const { count } = await this.prisma.pushDelivery.deleteMany({ where: { at: { lt: before } } });
    return count;
  }

  async purge(userId: string): Promise<void> {
    await this.prisma.pushDelivery.deleteMany({ where: { userId } });
  }
}
