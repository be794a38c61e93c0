import { createEnvelope } from '@oo/contracts';
import {
  createTestNats,
  readDeadLetters,
  readSignals,
  tipFeedbackData,
  type TestNats,
} from '@oo/testing';
import { EventPublisher, UNPUBLISHABLE_KIND, UnpublishableEventError } from '../src/index.js';

describe('EventPublisher against a real JetStream', () => {
  let nats: TestNats;
  let publisher: EventPublisher;

  beforeEach(async () => {
    nats = await createTestNats('publisher');
    publisher = new EventPublisher(nats.js, nats.topology);
  });

  afterEach(async () => {
    await nats.cleanup();
  });

  it('refuses an event that breaks its contract with an UnpublishableEventError naming the field', async () => {
    const envelope = createEnvelope('tip.feedback', 'u1', tipFeedbackData({ reward: 7 }));

    const refused = await publisher.publishEnvelope(envelope).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(UnpublishableEventError);
    expect(refused).toMatchObject({ field: 'data.reward', envelope });
    expect((refused as Error).message).toMatch(/data\.reward/);
    expect(await readSignals(nats, 'signals.tip.feedback.u1')).toHaveLength(0);
  });

  it('dead-letters an unpublishable event once, with the reason and the envelope as it was', async () => {
    const envelope = createEnvelope('tip.feedback', 'u1', tipFeedbackData({ reward: 7 }));
    const refused = (await publisher
      .publishEnvelope(envelope)
      .catch((error: unknown) => error)) as UnpublishableEventError;

    await publisher.deadLetter(refused, 'recommender');
    // A caller that crashed before marking it writes it again: still one letter.
    await publisher.deadLetter(refused, 'recommender');

    const letters = await readDeadLetters(nats);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      subject: 'deadletter.recommender.signals.tip.feedback.u1',
      kind: UNPUBLISHABLE_KIND,
      originalSubject: 'signals.tip.feedback.u1',
      consumer: 'publisher',
      reason: refused.message,
    });
    expect(JSON.parse(letters[0]!.body)).toEqual(envelope);
  });
});
