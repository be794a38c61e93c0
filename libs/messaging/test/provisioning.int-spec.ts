import { createTestNats, type TestNats } from '@oo/testing';
import { ensureDurableConsumer, ensureStreams } from '../src/index.js';

const DAY_NS = 24 * 60 * 60 * 1e9;

describe('provisioning', () => {
  let nats: TestNats;

  beforeEach(async () => {
    nats = await createTestNats('provisioning');
  });
  afterEach(() => nats.cleanup());

  it('is idempotent and puts a drifted retention setting back', async () => {
    const stream = nats.topology.signalsStream;
    const before = (await nats.jsm.streams.info(stream)).config;
    expect(before).toMatchObject({ max_age: 400 * DAY_NS, retention: 'limits', storage: 'file' });

    await nats.jsm.streams.update(stream, { ...before, max_age: 1 * DAY_NS });
    await ensureStreams(nats.jsm, nats.topology);
    await ensureStreams(nats.jsm, nats.topology);

    const after = (await nats.jsm.streams.info(stream)).config;
    expect(after.max_age).toBe(400 * DAY_NS);
    expect(after.duplicate_window).toBe(2 * 60 * 1e9);
    expect(after.num_replicas).toBe(1);
  });

  it('refuses to repoint an existing durable at another subject', async () => {
    const spec = {
      durable: 'svc__tip_feedback',
      filterSubject: nats.topology.wire('signals.tip.feedback.*'),
      maxDeliver: 5,
      ackWaitMs: 10_000,
      maxAckPending: 100,
      deliverFrom: 'all' as const,
    };
    await ensureDurableConsumer(nats.jsm, nats.topology.signalsStream, spec);
    await ensureDurableConsumer(nats.jsm, nats.topology.signalsStream, { ...spec, maxDeliver: 7 });
    const info = await nats.jsm.consumers.info(nats.topology.signalsStream, spec.durable);
    expect(info.config.max_deliver).toBe(7);

    await expect(
      ensureDurableConsumer(nats.jsm, nats.topology.signalsStream, {
        ...spec,
        filterSubject: nats.topology.wire('signals.tip.served.*'),
      }),
    ).rejects.toThrow(/a changed pattern needs a new durable name/);
  });
});
