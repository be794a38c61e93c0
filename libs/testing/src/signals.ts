import type { Envelope, EventType } from '@oo/contracts';
import { expectEventually } from './expect-eventually.js';
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

/**
 * Waits until a durable consumer of SIGNALS has handled everything published so far (nothing
 * pending, nothing awaiting its ack): then what its handlers did, or did not do, is final.
 */
export async function consumerCaughtUp(nats: TestNats, durable: string): Promise<void> {
  await expectEventually(async () => {
    const info = await nats.jsm.consumers.info(nats.topology.signalsStream, durable);
    expect({ pending: info.num_pending, awaitingAck: info.num_ack_pending }).toEqual({
      pending: 0,
      awaitingAck: 0,
    });
  });
}
