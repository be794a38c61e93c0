import type { EventDataMap } from './generated/types.js';

/** Every event type that travels on the SIGNALS stream. */
export type EventType = keyof EventDataMap;

/** WARNING: stream and subject names are contracts that operators rely on; never rename. */
export const SIGNALS_STREAM = 'SIGNALS';
export const DEADLETTER_STREAM = 'DEADLETTER';
/** Keeps the JetStream advisories the system acts on (today: a consumer's delivery limit reached). */
export const ADVISORIES_STREAM = 'ADVISORIES';
export const SIGNALS_ROOT = 'signals';
export const DEADLETTER_ROOT = 'deadletter';

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `signals.<domain>.<event>.<userId>`: the trailing user id makes per-user replay and purge a filter. */
export function signalSubject(type: EventType, userId: string): string {
  if (!USER_ID.test(userId))
    throw new Error(`userId is not a valid subject token: ${JSON.stringify(userId)}`);
  return `${SIGNALS_ROOT}.${type}.${userId}`;
}

/** The filter that matches one event type for every user, e.g. `signals.tip.feedback.*`. */
export function signalPattern(type: EventType): string {
  return `${SIGNALS_ROOT}.${type}.*`;
}

/** Every signal of one user, across types: `signals.*.*.<userId>`. */
export function userSignalsFilter(userId: string): string {
  if (!USER_ID.test(userId))
    throw new Error(`userId is not a valid subject token: ${JSON.stringify(userId)}`);
  return `${SIGNALS_ROOT}.*.*.${userId}`;
}

export interface ParsedSignalSubject {
  type: string;
  userId: string;
}

/** Splits `signals.tip.feedback.u1` into its type and user; null when it is not a signal subject. */
export function parseSignalSubject(subject: string): ParsedSignalSubject | null {
  const parts = subject.split('.');
  if (parts.length !== 4 || parts[0] !== SIGNALS_ROOT) return null;
  return { type: `${parts[1]}.${parts[2]}`, userId: parts[3]! };
}

/**
 * What the server publishes when a message of `stream` reached the delivery limit of one of its
 * consumers without an ack: `<prefix>.<stream>.<consumer>`.
 */
export const MAX_DELIVERIES_ADVISORY_PREFIX = '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES';

/** Where a consumer of `service` copies a message it gave up on. */
export function deadLetterSubject(service: string, originalSubject: string): string {
  return `${DEADLETTER_ROOT}.${service}.${originalSubject}`;
}
