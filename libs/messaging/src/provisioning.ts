import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { Topology } from './topology.js';

const DAY_NS = 24 * 60 * 60 * 1e9;
const nanos = (ms: number): number => ms * 1e6;

type NamedStreamConfig = Partial<StreamConfig> & { name: string };

function streamConfig(
  name: string,
  filter: string,
  maxAgeDays: number,
  replicas: number,
): NamedStreamConfig {
  return {
    name,
    subjects: [filter],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: maxAgeDays * DAY_NS,
    duplicate_window: nanos(2 * 60_000),
    num_replicas: replicas,
  };
}

/** WARNING: SIGNALS is the source of truth and must stay replayable: limits retention, never work-queue. */
export function signalsStreamConfig(topology: Topology, replicas = 1): NamedStreamConfig {
  return streamConfig(topology.signalsStream, topology.signalsFilter, 400, replicas);
}

export function deadLetterStreamConfig(topology: Topology, replicas = 1): NamedStreamConfig {
  return streamConfig(topology.deadLetterStream, topology.deadLetterFilter, 90, replicas);
}

/**
 * ADVISORIES keeps the server's delivery-limit advisories of SIGNALS (which the server only
 * announces, never stores), so a service that was down when one was raised still acts on it.
 * 30 days: longer than any outage, short enough that re-reading it from the start is cheap.
 */
export function advisoryStreamConfig(topology: Topology, replicas = 1): NamedStreamConfig {
  return streamConfig(topology.advisoryStream, topology.maxDeliveriesAdvisoryFilter, 30, replicas);
}

/** Settings that provisioning keeps in line; anything else (replicas above all) is the operator's. */
const MANAGED_KEYS = ['subjects', 'max_age', 'duplicate_window', 'retention', 'discard'] as const;

async function ensureStream(jsm: JetStreamManager, config: NamedStreamConfig): Promise<void> {
  let current: StreamConfig | undefined;
  try {
    current = (await jsm.streams.info(config.name)).config;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!current) {
    try {
      await jsm.streams.add(config);
    } catch (addError) {
      // Another instance created it between our info and add: that is the state we wanted.
      if (!/already in use|already exists/i.test(String(addError))) throw addError;
    }
    return;
  }
  const drifted = MANAGED_KEYS.some(
    (key) => JSON.stringify(current[key]) !== JSON.stringify(config[key]),
  );
  if (drifted) {
    // Replicas and storage stay as the stream has them: an instance configured for R1 must never
    // shrink an R3 stream an operator scaled up.
    const managed = Object.fromEntries(MANAGED_KEYS.map((key) => [key, config[key]]));
    await jsm.streams.update(config.name, { ...current, ...managed });
  }
}

/**
 * Creates the SIGNALS, DEADLETTER and ADVISORIES streams (with `replicas` copies; 3 on a JetStream cluster),
 * or brings their retention settings up to date. Safe to run from every instance at start.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  topology: Topology,
  replicas = 1,
): Promise<void> {
  await ensureStream(jsm, signalsStreamConfig(topology, replicas));
  await ensureStream(jsm, deadLetterStreamConfig(topology, replicas));
  await ensureStream(jsm, advisoryStreamConfig(topology, replicas));
}

export interface DurableConsumerSpec {
  durable: string;
  /** Wire subject filter, e.g. `signals.tip.feedback.*`. */
  filterSubject: string;
  /** -1: no limit. */
  maxDeliver: number;
  ackWaitMs: number;
  maxAckPending: number;
  /** Where a brand-new durable starts; ignored once it exists. */
  deliverFrom: 'all' | 'new';
}

export function durableConsumerConfig(spec: DurableConsumerSpec): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    filter_subject: spec.filterSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: spec.deliverFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
  };
}

/** Creates the durable pull consumer, or brings its mutable settings up to date. Idempotent. */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  stream: string,
  spec: DurableConsumerSpec,
): Promise<void> {
  const wanted = durableConsumerConfig(spec);
  try {
    const { config } = await jsm.consumers.info(stream, spec.durable);
    const mutable = ['ack_wait', 'max_deliver', 'max_ack_pending'] as const;
    if (mutable.some((key) => config[key] !== wanted[key])) {
      await jsm.consumers.update(stream, spec.durable, {
        ack_wait: wanted.ack_wait!,
        max_deliver: wanted.max_deliver!,
        max_ack_pending: wanted.max_ack_pending!,
      });
    }
    if (config.filter_subject !== spec.filterSubject) {
      throw new Error(
        `Consumer ${spec.durable} on ${stream} filters ${config.filter_subject}, not ${spec.filterSubject}: ` +
          'a changed pattern needs a new durable name',
      );
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(stream, wanted);
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test(String(error));
}
