/**
 * JetStream throughput through libs/messaging against the raw @nats-io client floor, measured in
 * the same run on the same server (issue target: lib ≥ 0.8 × raw for publish + consume).
 *
 * Each round: purge the namespaced SIGNALS stream, publish N tip.feedback envelopes, then drain
 * them with a brand-new durable pull consumer. Raw and lib rounds alternate after a warm-up and
 * the median is reported, so a noisy moment on a 2-core box hits both sides alike.
 */
import { performance } from 'node:perf_hooks';
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { createEnvelope, signalPattern, signalSubject, type EventDataMap } from '@oo/contracts';
import {
  connectToNats,
  ensureStreams,
  EventConsumer,
  EventPublisher,
  jetstream,
  jetstreamManager,
  MessagingMetrics,
  Topology,
  type NatsConnection,
} from '@oo/messaging';
import { tipFeedbackData, uniqueNamespace } from '@oo/testing';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import {
  median,
  perSecond,
  progress,
  ratio,
  withDeadline,
  type BenchReport,
  type Table,
  positiveInt,
} from './harness.js';

const MESSAGES = positiveInt(process.env['BENCH_MESSAGES'], 20_000);
const ROUNDS = positiveInt(process.env['BENCH_ROUNDS'], 3);
const WARMUP_MESSAGES = 2_000;
/** Publishes in flight at once: awaiting acks one window at a time. */
const PUBLISH_WINDOW = 500;
/** EventConsumer concurrency; it pulls 2× this per batch, and the raw side is given the same. */
const CONCURRENCY = 64;
const PULL_BATCH = CONCURRENCY * 2;
/** What EventConsumer provisions for this concurrency (max(1000, 4×)); the raw durable matches it. */
const MAX_ACK_PENDING = Math.max(1000, CONCURRENCY * 4);
const USERS = 100;
const CONSUME_DEADLINE_MS = 120_000;

type Side = 'raw' | 'lib';
type FeedbackData = EventDataMap['tip.feedback'];

interface Batch {
  items: Array<{ userId: string; data: FeedbackData }>;
}

interface Accounting {
  deliveries: number;
  unique: number;
  /** Ids consumed that this round did not publish (leftovers from an earlier round would show here). */
  foreign: number;
  /** From the server after the consumer stopped: every delivery acked, none redelivered. */
  serverClean: boolean;
  serverDetail: string;
}

interface Round {
  side: Side;
  count: number;
  publishMs: number;
  consumeMs: number;
  duplicates: number;
  accounting: Accounting;
}

interface Bench {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  logger: Logger;
}

export async function messagingThroughput(): Promise<BenchReport> {
  const url = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const nc = await connectToNats({ url, name: 'bench-messaging-throughput' });
  const jsm = await jetstreamManager(nc);
  const topology = new Topology(uniqueNamespace('bench_throughput'));
  await ensureStreams(jsm, topology);
  // warn and up only, on stderr: a dead letter or a failed handler here is a finding, not noise.
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const bench: Bench = { nc, js: jetstream(nc), jsm, topology, logger };
  try {
    progress(
      `  streams ${topology.signalsStream}; ${MESSAGES} messages × ${ROUNDS} rounds per side`,
    );
    await runRound(bench, 'raw', 'warmup_raw', WARMUP_MESSAGES);
    await runRound(bench, 'lib', 'warmup_lib', WARMUP_MESSAGES);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const side of ['raw', 'lib'] as const) {
        const round = await runRound(bench, side, `${side}_${i}`, MESSAGES);
        progress(`  ${describeRound(round)}`);
        rounds.push(round);
      }
    }
    return report(rounds, nc);
  } finally {
    for (const stream of topology.streams) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
    await nc.close();
  }
}

async function runRound(bench: Bench, side: Side, label: string, count: number): Promise<Round> {
  await bench.jsm.streams.purge(bench.topology.signalsStream);
  const batch = makeBatch(count);
  // A fresh registry per round: prom-client refuses to register a metric name twice.
  const metrics = new MessagingMetrics(new Registry());
  const durable = `bench_${label}`;

  const published =
    side === 'raw' ? await publishRaw(bench, batch) : await publishLib(bench, batch, metrics);
  const consumed =
    side === 'raw'
      ? await consumeRaw(bench, durable, published.ids)
      : await consumeLib(bench, durable, published.ids, metrics);
  const accounting = {
    ...consumed.tally.summary(),
    ...(await serverAccounting(bench, durable, count)),
  };
  await bench.jsm.consumers.delete(bench.topology.signalsStream, durable).catch(() => undefined);
  return {
    side,
    count,
    publishMs: published.elapsedMs,
    consumeMs: consumed.elapsedMs,
    duplicates: published.duplicates,
    accounting,
  };
}

/** The payloads exist before the clock starts: producing them is the caller's cost on both sides. */
function makeBatch(count: number): Batch {
  return {
    items: Array.from({ length: count }, (_, i) => ({
      userId: `u${i % USERS}`,
      data: tipFeedbackData(),
    })),
  };
}

interface Published {
  elapsedMs: number;
  ids: Set<string>;
  duplicates: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The floor: what a service would do by hand — build the envelope, serialise, publish with a msg id. */
async function publishRaw({ js, topology }: Bench, batch: Batch): Promise<Published> {
  const ids = new Set<string>();
  let duplicates = 0;
  const started = performance.now();
  await inWindows(batch.items, PUBLISH_WINDOW, async ({ userId, data }) => {
    const envelope = createEnvelope('tip.feedback', userId, data);
    const headers = natsHeaders();
    headers.set('Nats-Msg-Id', envelope.id);
    const ack = await js.publish(
      topology.wire(signalSubject('tip.feedback', userId)),
      encoder.encode(JSON.stringify(envelope)),
      { headers, expect: { streamName: topology.signalsStream } },
    );
    ids.add(envelope.id);
    if (ack.duplicate) duplicates += 1;
  });
  return { elapsedMs: performance.now() - started, ids, duplicates };
}

async function publishLib(
  { js, topology }: Bench,
  batch: Batch,
  metrics: MessagingMetrics,
): Promise<Published> {
  const publisher = new EventPublisher(js, topology, metrics);
  const ids = new Set<string>();
  let duplicates = 0;
  const started = performance.now();
  await inWindows(batch.items, PUBLISH_WINDOW, async ({ userId, data }) => {
    const { envelope, duplicate } = await publisher.publish('tip.feedback', userId, data);
    ids.add(envelope.id);
    if (duplicate) duplicates += 1;
  });
  return { elapsedMs: performance.now() - started, ids, duplicates };
}

async function inWindows<T>(
  items: readonly T[],
  window: number,
  send: (item: T) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += window) {
    await Promise.all(items.slice(start, start + window).map(send));
  }
}

/** Counts deliveries by envelope id and resolves when every published id has been seen. */
class Tally {
  private readonly seen = new Set<string>();
  private deliveries = 0;
  private foreign = 0;
  private resolveDone!: (at: number) => void;
  /** Resolves with the moment the last expected id arrived. */
  readonly done = new Promise<number>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly expected: Set<string>) {}

  record(id: string): void {
    this.deliveries += 1;
    if (!this.expected.has(id)) this.foreign += 1;
    else if (!this.seen.has(id)) {
      this.seen.add(id);
      if (this.seen.size === this.expected.size) this.resolveDone(performance.now());
    }
  }

  get complete(): boolean {
    return this.seen.size === this.expected.size;
  }

  summary(): Pick<Accounting, 'deliveries' | 'unique' | 'foreign'> {
    return { deliveries: this.deliveries, unique: this.seen.size, foreign: this.foreign };
  }
}

interface Consumed {
  elapsedMs: number;
  tally: Tally;
}

/** The floor: a durable pull consumer with the same settings EventConsumer provisions; parse and ack. */
async function consumeRaw(
  { js, jsm, topology }: Bench,
  durable: string,
  ids: Set<string>,
): Promise<Consumed> {
  const tally = new Tally(ids);
  const started = performance.now();
  await jsm.consumers.add(topology.signalsStream, {
    durable_name: durable,
    filter_subject: topology.wire(signalPattern('tip.feedback')),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: 30_000 * 1e6,
    max_deliver: 10,
    max_ack_pending: MAX_ACK_PENDING,
  });
  const consumer = await js.consumers.get(topology.signalsStream, durable);
  const messages = await consumer.consume({ max_messages: PULL_BATCH });
  const loop = (async () => {
    for await (const msg of messages) {
      const envelope = JSON.parse(decoder.decode(msg.data)) as { id: string };
      tally.record(envelope.id);
      msg.ack();
      if (tally.complete) break;
    }
  })();
  try {
    const finished = await withDeadline(tally.done, CONSUME_DEADLINE_MS, `raw consume ${durable}`);
    return { elapsedMs: finished - started, tally };
  } finally {
    await messages.close();
    await loop;
  }
}

async function consumeLib(
  { js, jsm, topology, logger }: Bench,
  durable: string,
  ids: Set<string>,
  metrics: MessagingMetrics,
): Promise<Consumed> {
  const tally = new Tally(ids);
  const consumer = new EventConsumer(
    js,
    jsm,
    topology,
    {
      service: 'bench',
      type: 'tip.feedback',
      durable,
      settings: { concurrency: CONCURRENCY },
      handler: async (envelope) => tally.record(envelope.id),
    },
    logger,
    metrics,
  );
  const started = performance.now();
  await consumer.start();
  try {
    const finished = await withDeadline(tally.done, CONSUME_DEADLINE_MS, `lib consume ${durable}`);
    return { elapsedMs: finished - started, tally };
  } finally {
    await consumer.stop();
  }
}

/**
 * Exactly-once as the server sees it: every message delivered once and acked. Acks are
 * fire-and-forget, so poll briefly (bounded) until the server has applied the last ones.
 */
async function serverAccounting(
  { nc, jsm, topology }: Bench,
  durable: string,
  count: number,
): Promise<Pick<Accounting, 'serverClean' | 'serverDetail'>> {
  await nc.flush();
  let detail = '';
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const info = await jsm.consumers.info(topology.signalsStream, durable);
    const clean =
      info.delivered.consumer_seq === count &&
      info.ack_floor.consumer_seq === count &&
      info.num_ack_pending === 0 &&
      info.num_redelivered === 0 &&
      info.num_pending === 0;
    detail =
      `delivered ${info.delivered.consumer_seq}, ack floor ${info.ack_floor.consumer_seq}, ` +
      `ack pending ${info.num_ack_pending}, redelivered ${info.num_redelivered}, pending ${info.num_pending}`;
    if (clean) return { serverClean: true, serverDetail: detail };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { serverClean: false, serverDetail: detail };
}

function exactlyOnce(round: Round): boolean {
  const { deliveries, unique, foreign, serverClean } = round.accounting;
  return (
    deliveries === round.count &&
    unique === round.count &&
    foreign === 0 &&
    serverClean &&
    round.duplicates === 0
  );
}

function describeRound(round: Round): string {
  const { deliveries, unique, foreign, serverDetail } = round.accounting;
  return (
    `${round.side}: publish ${perSecond(round.count, round.publishMs).toLocaleString('en-US')}/s ` +
    `(${Math.round(round.publishMs)} ms), consume ${perSecond(round.count, round.consumeMs).toLocaleString('en-US')}/s ` +
    `(${Math.round(round.consumeMs)} ms); ${unique}/${round.count} unique of ${deliveries} deliveries, ` +
    `${foreign} foreign, ${round.duplicates} publish duplicates; server: ${serverDetail} → ` +
    `${exactlyOnce(round) ? 'exactly once' : 'NOT exactly once'}`
  );
}

function report(rounds: Round[], nc: NatsConnection): BenchReport {
  const of = (side: Side) => rounds.filter((round) => round.side === side);
  const rates = (side: Side) => ({
    publish: Math.round(median(of(side).map((r) => perSecond(r.count, r.publishMs)))),
    consume: Math.round(median(of(side).map((r) => perSecond(r.count, r.consumeMs)))),
    // Both phases back to back: the figure the 0.8 target is about.
    both: Math.round(median(of(side).map((r) => perSecond(r.count, r.publishMs + r.consumeMs)))),
  });
  const raw = rates('raw');
  const lib = rates('lib');
  const table: Table = {
    title: `median of ${ROUNDS} alternating rounds, ${MESSAGES.toLocaleString('en-US')} tip.feedback events each (msgs/s)`,
    columns: ['phase', 'raw @nats-io', 'libs/messaging', 'lib ÷ raw'],
    rows: [
      ['publish', raw.publish, lib.publish, ratio(lib.publish, raw.publish)],
      ['consume', raw.consume, lib.consume, ratio(lib.consume, raw.consume)],
      ['publish + consume', raw.both, lib.both, ratio(lib.both, raw.both)],
    ],
  };
  const accounted = rounds.filter(exactlyOnce).length;
  return {
    tables: [table],
    notes: [
      `NATS ${nc.info?.version ?? '?'}, Node ${process.version}; publish window ${PUBLISH_WINDOW}, ` +
        `consumer concurrency ${CONCURRENCY}, pull batch ${PULL_BATCH}, max ack pending ${MAX_ACK_PENDING}.`,
      `Exact accounting: ${accounted}/${rounds.length} rounds consumed every message exactly once.`,
      ...rounds.map((round, i) => `- round ${i + 1} ${describeRound(round)}`),
    ],
  };
}
