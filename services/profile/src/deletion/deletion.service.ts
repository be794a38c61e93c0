import { Injectable } from '@nestjs/common';
import { createEnvelope, type ProfileDeleteResponse } from '@oo/contracts';
import { EventPublisher, rpcFailure } from '@oo/messaging';
import { v7 as uuidv7 } from 'uuid';
import { DeletionRepository, type StoredDeletion } from './deletion.repository.js';

/** Every service that holds data of a user: each must confirm its purge (ARCHITECTURE.md §7). */
export const SERVICES_HOLDING_USER_DATA = [
  'auth',
  'profile',
  'integrations',
  'recommender',
  'scorer',
  'notifier',
] as const;

/**
 * The deletion saga, owned by profile: the request is recorded and `signals.user.deleted.<u>`
 * published together; services purge and confirm; SIGNALS is purged last.
 */
@Injectable()
export class DeletionService {
  constructor(
    private readonly deletions: DeletionRepository,
    private readonly publisher: EventPublisher,
  ) {}

  /** Starts the deletion (idempotent: asking again reports how far it has come). */
  async request(userId: string, now = new Date()): Promise<ProfileDeleteResponse> {
    const existing = await this.deletions.find(userId);
    if (existing) return present(existing);
    const eventId = uuidv7();
    const created = await this.deletions.create(userId, eventId, async () => {
      await this.publisher.publishEnvelope(
        createEnvelope('user.deleted', userId, { requestedAt: now.toISOString() }, { id: eventId }),
      );
    });
    const stored = created ?? (await this.deletions.find(userId));
    if (!stored) throw new Error(`deletion of ${userId} was neither created nor found`);
    return present(stored);
  }

  async status(userId: string): Promise<ProfileDeleteResponse> {
    const stored = await this.deletions.find(userId);
    if (!stored) throw rpcFailure('not_found', `No deletion was requested for ${userId}`, 'userId');
    return present(stored);
  }
}

function present(deletion: StoredDeletion): ProfileDeleteResponse {
  const waitingFor = SERVICES_HOLDING_USER_DATA.filter(
    (service) => !deletion.confirmedBy.includes(service),
  );
  const status = deletion.completedAt
    ? 'done'
    : waitingFor.length === 0
      ? 'purging_signals'
      : 'pending';
  return {
    userId: deletion.userId,
    status,
    requestedAt: deletion.requestedAt.toISOString(),
    confirmedBy: deletion.confirmedBy,
    waitingFor,
    ...(deletion.completedAt ? { completedAt: deletion.completedAt.toISOString() } : {}),
  };
}
