import { AckPolicy } from '@nats-io/jetstream';
import { MAX_DELIVERIES_ADVISORY_PREFIX } from '@oo/contracts';
import {
  createTestNats,
  expectEventually,
  readDeadLetters,
  tipFeedbackData,
  type TestNats,
} from '@oo/testing';
import { pino } from 'pino';
import { DeliveryLimitWatcher, EventPublisher } from '../src/index.js';

const DURABLE = 'test__tip_feedback';

/**
 * The watcher on its own, against real advisories: the process-level test (a consumer killed
 * on every delivery) is in process.int-spec.ts.
 */
describe('DeliveryLimitWatcher', () => {
  let nats: TestNats;
  let publisher: EventPublisher;
  let watcher: DeliveryLimitWatcher | undefined;

  beforeEach(async () => {
    nats = await createTestNats('delivery_limit');
    publisher = new EventPublisher(nats.js, nats.topology);
  });

  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    await nats.cleanup();
  });

  async function startWatcher(): Promise<void> {
    watcher = new DeliveryLimitWatcher(
      nats.js,
      nats.jsm,
      nats.topology,
      { service: 'test', consumers: new Set([DURABLE]) },
      pino({ level: 'silent' }),
    );
    await watcher.start();
  }

  /** Lets every delivery of the message lapse without an ack, as a crashing process would. */
  async function exhaustDeliveries(maxDeliver: number): Promise<void> {
    await nats.jsm.consumers.add(nats.topology.signalsStream, {
      durable_name: DURABLE,
      filter_subject: nats.topology.wire('signals.tip.feedback.*'),
      ack_policy: AckPolicy.Explicit,
      ack_wait: 300 * 1e6,
      max_deliver: maxDeliver,
    });
    const consumer = await nats.js.consumers.get(nats.topology.signalsStream, DURABLE);
    for (let delivery = 1; delivery <= maxDeliver; delivery += 1) {
      expect((await consumer.next({ expires: 5000 }))?.info.deliveryCount).toBe(delivery);
    }
    // The server raises the advisory when it would deliver once more.
    expect(await consumer.next({ expires: 1000 })).toBeNull();
    await expectEventually(async () =>
      expect((await nats.jsm.streams.info(nats.topology.advisoryStream)).state.messages).toBe(1),
    );
  }

  function advisorySubject(consumer: string): string {
    return `${MAX_DELIVERIES_ADVISORY_PREFIX}.${nats.topology.signalsStream}.${consumer}`;
  }

  async function watcherSettled(): Promise<void> {
    await expectEventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.advisoryStream, watcher!.durable);
      expect({ pending: info.num_pending, ackPending: info.num_ack_pending }).toEqual({
        pending: 0,
        ackPending: 0,
      });
    });
  }

  it('dead-letters an advisory raised while no watcher ran, once however often it comes', async () => {
    const { envelope, seq } = await publisher.publish('tip.feedback', 'u1', tipFeedbackData());
    await exhaustDeliveries(2);

    await startWatcher();
    await expectEventually(async () => expect(await readDeadLetters(nats)).toHaveLength(1));
    expect((await readDeadLetters(nats))[0]).toMatchObject({
      subject: 'deadletter.test.signals.tip.feedback.u1',
      kind: 'max_deliveries',
      originalSubject: 'signals.tip.feedback.u1',
      originalSequence: seq,
      consumer: DURABLE,
      deliveries: 2,
      body: JSON.stringify(envelope),
    });

    // The same advisory again (a redelivery after a crash between copy and ack): no second copy.
    const advisory = await nats.jsm.streams.getMessage(nats.topology.advisoryStream, { seq: 1 });
    await nats.js.publish(advisorySubject(DURABLE), advisory!.data);
    await watcherSettled();
    expect(await readDeadLetters(nats)).toHaveLength(1);
  });

  it("leaves other services' consumers to them, and skips a message already purged", async () => {
    const purged = await publisher.publish('tip.feedback', 'gone', tipFeedbackData());
    const kept = await publisher.publish('tip.feedback', 'u2', tipFeedbackData());
    await nats.jsm.streams.purge(nats.topology.signalsStream, {
      filter: nats.topology.wire('signals.*.*.gone'),
    });
    await startWatcher();

    const raise = (consumer: string, streamSeq: number): Promise<unknown> =>
      nats.js.publish(
        advisorySubject(consumer),
        JSON.stringify({
          type: 'io.nats.jetstream.advisory.v1.max_deliver',
          stream: nats.topology.signalsStream,
          consumer,
          stream_seq: streamSeq,
          deliveries: 10,
        }),
      );
    await raise('other__tip_feedback', kept.seq);
    await raise(DURABLE, purged.seq);
    await raise(DURABLE, kept.seq);
    await watcherSettled();

    expect((await readDeadLetters(nats)).map((letter) => letter.originalSequence)).toEqual([
      kept.seq,
    ]);
  });
});
