import type { JsMsg } from '@nats-io/jetstream';
import { createEnvelope, type AnyEnvelope } from '@oo/contracts';
import { createTestNats, expectEventually, tipFeedbackData, type TestNats } from '@oo/testing';
import { pino } from 'pino';
import {
  DEAD_LETTER_HEADERS,
  EventConsumer,
  EventPublisher,
  InvalidEventError,
  type EventContext,
  type EventHandler,
} from '../src/index.js';

const silent = pino({ level: 'silent' });
const fastRetry = { backoff: { initialMs: 20, maxMs: 100 }, watchdogMs: 1000 };

describe('EventConsumer against a real JetStream', () => {
  let nats: TestNats;
  let publisher: EventPublisher;
  const consumers: EventConsumer[] = [];

  beforeEach(async () => {
    nats = await createTestNats('consumer');
    publisher = new EventPublisher(nats.js, nats.topology);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await nats.cleanup();
  });

  async function consume(handler: EventHandler, settings = {}): Promise<EventConsumer> {
    const consumer = new EventConsumer(
      nats.js,
      nats.jsm,
      nats.topology,
      { service: 'test', type: 'tip.feedback', handler, settings: { ...fastRetry, ...settings } },
      silent,
    );
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  async function deadLetters(): Promise<JsMsg[]> {
    const info = await nats.jsm.streams.info(nats.topology.deadLetterStream);
    const found: JsMsg[] = [];
    if (info.state.messages === 0) return found;
    const reader = await nats.js.consumers.get(nats.topology.deadLetterStream);
    for (let seq = 0; seq < info.state.messages; seq += 1) {
      const msg = await reader.next({ expires: 1000 });
      if (msg) found.push(msg);
    }
    return found;
  }

  it('handles an event published twice within the duplicate window once', async () => {
    const handled: string[] = [];
    await consume(async (envelope) => void handled.push(envelope.id), { concurrency: 1 });
    const envelope = createEnvelope('tip.feedback', 'u1', tipFeedbackData());

    const first = await publisher.publishEnvelope(envelope);
    const second = await publisher.publishEnvelope(envelope);
    const marker = await publisher.publish('tip.feedback', 'u1', tipFeedbackData());

    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, seq: first.seq });
    // With one handler at a time, the marker is handled after anything published before it.
    await expectEventually(() => expect(handled).toContain(marker.envelope.id));
    expect(handled).toEqual([envelope.id, marker.envelope.id]);
  });

  it('redelivers after a transient error until the handler succeeds', async () => {
    const attempts: number[] = [];
    const done: string[] = [];
    await consume(async (envelope, context: EventContext) => {
      attempts.push(context.deliveryCount);
      if (context.deliveryCount < 3) throw new Error('redis is restarting');
      done.push(envelope.id);
    });
    const { envelope } = await publisher.publish('tip.feedback', 'u1', tipFeedbackData());

    await expectEventually(() => expect(done).toEqual([envelope.id]));
    expect(attempts).toEqual([1, 2, 3]);
    expect(await deadLetters()).toHaveLength(0);
  });

  it('dead-letters malformed messages with the reason and original position, and keeps going', async () => {
    const handled: AnyEnvelope[] = [];
    await consume(async (envelope) => void handled.push(envelope), { concurrency: 1 });
    const subject = nats.topology.wire('signals.tip.feedback.u1');

    const notJson = await nats.js.publish(subject, new TextEncoder().encode('{not json'));
    const badSchema = createEnvelope('tip.feedback', 'u1', tipFeedbackData({ reward: 7 }));
    const schemaAck = await nats.js.publish(subject, JSON.stringify(badSchema));
    const wrongUser = createEnvelope('tip.feedback', 'u2', tipFeedbackData());
    await nats.js.publish(subject, JSON.stringify(wrongUser));
    const good = await publisher.publish('tip.feedback', 'u1', tipFeedbackData());

    await expectEventually(() => expect(handled.map((e) => e.id)).toEqual([good.envelope.id]));
    const letters = await expectEventually(async () => {
      const found = await deadLetters();
      expect(found).toHaveLength(3);
      return found;
    });
    const [first, second, third] = letters.map((msg) => ({
      subject: msg.subject,
      reason: msg.headers?.get(DEAD_LETTER_HEADERS.reason),
      kind: msg.headers?.get(DEAD_LETTER_HEADERS.kind),
      original: msg.headers?.get(DEAD_LETTER_HEADERS.subject),
      stream: msg.headers?.get(DEAD_LETTER_HEADERS.stream),
      seq: Number(msg.headers?.get(DEAD_LETTER_HEADERS.sequence)),
      body: new TextDecoder().decode(msg.data),
    }));
    expect(first).toMatchObject({
      subject: nats.topology.wire('deadletter.test.signals.tip.feedback.u1'),
      kind: 'invalid_json',
      original: 'signals.tip.feedback.u1',
      stream: nats.topology.signalsStream,
      seq: notJson.seq,
      body: '{not json',
    });
    expect(first?.reason).toMatch(/^payload is not JSON/);
    expect(second).toMatchObject({
      kind: 'invalid_schema',
      reason: 'data.reward must be <= 1',
      seq: schemaAck.seq,
    });
    expect(third).toMatchObject({
      kind: 'invalid_schema',
      reason: 'userId does not match subject signals.tip.feedback.u1',
    });
  });

  it('dead-letters an event its handler rejects, without retrying it', async () => {
    let calls = 0;
    await consume(async () => {
      calls += 1;
      throw new InvalidEventError('task-1 does not belong to this user');
    });
    await publisher.publish('tip.feedback', 'u1', tipFeedbackData());

    const [letter] = await expectEventually(async () => {
      const found = await deadLetters();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letter?.headers?.get(DEAD_LETTER_HEADERS.kind)).toBe('rejected');
    expect(letter?.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe(
      'task-1 does not belong to this user',
    );
    expect(calls).toBe(1);
  });

  it('dead-letters a message that still fails at max_deliver', async () => {
    let calls = 0;
    await consume(
      async () => {
        calls += 1;
        throw new Error('downstream is broken');
      },
      { maxDeliver: 3 },
    );
    await publisher.publish('tip.feedback', 'u1', tipFeedbackData());

    const [letter] = await expectEventually(async () => {
      const found = await deadLetters();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letter?.headers?.get(DEAD_LETTER_HEADERS.kind)).toBe('max_deliveries');
    expect(letter?.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe(
      'gave up after 3 deliveries: downstream is broken',
    );
    expect(letter?.headers?.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    expect(calls).toBe(3);
  });
});
