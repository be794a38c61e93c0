import {
  connectToNats,
  ensureStreams,
  jetstream,
  jetstreamManager,
  Topology,
  type NatsConnection,
} from '@oo/messaging';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { testInfrastructure } from './infrastructure.js';
import { uniqueNamespace } from './namespace.js';

export interface TestNats {
  url: string;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  /** Deletes this test's streams (and with them their consumers) and closes the connection. */
  cleanup(): Promise<void>;
}

/** A NATS connection with its own namespaced SIGNALS, DEADLETTER and ADVISORIES streams. */
export async function createTestNats(label: string): Promise<TestNats> {
  const { natsUrl } = await testInfrastructure();
  const nc = await connectToNats({ url: natsUrl, name: `test-${label}` });
  const jsm = await jetstreamManager(nc);
  const topology = new Topology(uniqueNamespace(label));
  await ensureStreams(jsm, topology);
  return {
    url: natsUrl,
    nc,
    js: jetstream(nc),
    jsm,
    topology,
    cleanup: async () => {
      for (const stream of topology.streams) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await nc.close();
    },
  };
}
