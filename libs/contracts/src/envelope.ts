import { v7 as uuidv7 } from 'uuid';
import { currentEventVersions } from './generated/schemas.js';
import type { EventDataMap } from './generated/types.js';
import type { EventType } from './subjects.js';

/** What every signal on JetStream carries. WARNING: a published contract; see schemas/envelope.json. */
export interface Envelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  userId: string;
  data: EventDataMap[T];
}

/** Any valid envelope, narrowed by its `type`. */
export type AnyEnvelope = { [T in EventType]: Envelope<T> }[EventType];

export interface EnvelopeOptions {
  /** Defaults to a fresh UUIDv7. Give the same id to publish the same event again (deduplicated). */
  id?: string;
  occurredAt?: Date;
}

export function createEnvelope<T extends EventType>(
  type: T,
  userId: string,
  data: EventDataMap[T],
  options: EnvelopeOptions = {},
): Envelope<T> {
  return {
    id: options.id ?? uuidv7(),
    type,
    version: currentEventVersions[type],
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    userId,
    data,
  };
}
