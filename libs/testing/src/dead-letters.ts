import { DEAD_LETTER_HEADERS } from '@oo/messaging';
import type { TestNats } from './nats.js';

export interface DeadLetter {
  /** Contract subject of the dead letter: `deadletter.<service>.<original subject>`. */
  subject: string;
  reason: string;
  kind: string;
  originalSubject: string;
  originalSequence: number;
  /** The durable that gave up on it. */
  consumer: string;
  deliveries: number;
  body: string;
}

/** Everything in the test's DEADLETTER stream, oldest first. */
export async function readDeadLetters(nats: TestNats): Promise<DeadLetter[]> {
  const info = await nats.jsm.streams.info(nats.topology.deadLetterStream);
  const letters: DeadLetter[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages;
    seq += 1
  ) {
    const message = await nats.jsm.streams
      .getMessage(nats.topology.deadLetterStream, { seq })
      .catch(() => null);
    if (!message) continue;
    letters.push({
      subject: nats.topology.contract(message.subject),
      reason: message.header.get(DEAD_LETTER_HEADERS.reason),
      kind: message.header.get(DEAD_LETTER_HEADERS.kind),
      originalSubject: message.header.get(DEAD_LETTER_HEADERS.subject),
      originalSequence: Number(message.header.get(DEAD_LETTER_HEADERS.sequence)),
      consumer: message.header.get(DEAD_LETTER_HEADERS.consumer),
      deliveries: Number(message.header.get(DEAD_LETTER_HEADERS.deliveries)),
      body: message.string(),
    });
  }
  return letters;
}
