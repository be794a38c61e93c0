import type { Envelope, EventType } from '@oo/contracts';
import type { TestNats } from './nats.js';

/**
 * Every event in the test's SIGNALS stream on one contract subject, oldest first. A subject
 * ending in `.*` matches every user (`signals.task.completed.*`).
 */
export async function readSignals<T extends EventType = EventType>(
  nats: TestNats,
  subject: string,
): Promise<Array<Envelope<T>>> {
  const wire = nats.topology.wire(subject);
  const matches = wire.endsWith('.*')
    ? (candidate: string) => candidate.startsWith(wire.slice(0, -1))
    : (candidate: string) => candidate === wire;
  const { state } = await nats.jsm.streams.info(nats.topology.signalsStream);
  const events: Array<Envelope<T>> = [];
  for (let seq = state.first_seq; state.messages && seq <= state.last_seq; seq += 1) {
    const message = await nats.jsm.streams
      .getMessage(nats.topology.signalsStream, { seq })
      .catch(() => null);
    if (message && matches(message.subject)) events.push(message.json<Envelope<T>>());
  }
  return events;
}
