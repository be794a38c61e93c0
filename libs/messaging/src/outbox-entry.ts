import type { EventDataMap, EventType } from '@oo/contracts';
import { UnpublishableEventError, type EventPublisher } from './publisher.js';

/**
 * A stored event waiting to be published (an outbox row): the row and the promise to publish
 * committed together, and the row says whether it has been.
 */
export interface OutboxEntry<T extends EventType> {
  type: T;
  userId: string;
  data: EventDataMap[T];
  /** The event's id, kept with the row: every attempt publishes the same event. */
  id: string;
  occurredAt: Date;
  /** Names the entry in logs (ids only, never user data). */
  label: string;
  /** JetStream stored it: the relay leaves the row alone from now on. */
  markPublished(): Promise<void>;
  /** It breaks its contract and was dead-lettered: the relay must skip the row. */
  markUnpublishable(reason: string): Promise<void>;
}

interface OutboxLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Publishes one outbox entry and marks its row; true when JetStream stored it. Refused by
 * JetStream (away, slow): false, and the relay publishes it later under the same id. Breaking
 * its contract: no attempt can ever publish it, so it goes to the dead-letter stream with the
 * reason and its row is marked; if that fails too, nothing is marked and the next attempt meets
 * the same error and tries again. Never throws.
 */
export async function publishOutboxEntry<T extends EventType>(
  publisher: EventPublisher,
  service: string,
  logger: OutboxLogger,
  entry: OutboxEntry<T>,
): Promise<boolean> {
  try {
    await publisher.publish(entry.type, entry.userId, entry.data, {
      id: entry.id,
      occurredAt: entry.occurredAt,
    });
  } catch (error) {
    if (error instanceof UnpublishableEventError) {
      await giveUp(publisher, service, logger, entry, error);
    } else {
      logger.warn(
        `${entry.label} is stored but not yet published (${String(error)}); the relay will retry`,
      );
    }
    return false;
  }
  await entry.markPublished();
  return true;
}

async function giveUp<T extends EventType>(
  publisher: EventPublisher,
  service: string,
  logger: OutboxLogger,
  entry: OutboxEntry<T>,
  error: UnpublishableEventError,
): Promise<void> {
  try {
    await publisher.deadLetter(error, service);
    await entry.markUnpublishable(error.message);
    logger.error(
      `${entry.label} breaks its contract (${error.field} ${error.violation}): dead-lettered, never retried`,
    );
  } catch (failure) {
    logger.warn(
      `${entry.label} is unpublishable and could not be dead-lettered yet (${String(failure)})`,
    );
  }
}
