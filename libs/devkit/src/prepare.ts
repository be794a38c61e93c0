import type { BaseEnv } from '@oo/config';
import { DATABASE_SERVICES, migrateServices } from '@oo/database';
import { connectToNats, ensureStreams, jetstreamManager, Topology } from '@oo/messaging';
import { DATA_DIR, ensureInfrastructure, infrastructureOf } from './infrastructure.js';

/** Everything the services need before they start: infrastructure, schemas, streams. */
export async function prepareSystem(env: BaseEnv, log: (line: string) => void): Promise<void> {
  const problems = await ensureInfrastructure(infrastructureOf(env), DATA_DIR, log);
  if (problems.length > 0) {
    throw new Error(`Missing infrastructure:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  // Logs the database's creation and, per schema, each migration applied or "up to date".
  await migrateServices({
    connectionString: env.DATABASE_URL,
    services: DATABASE_SERVICES,
    logger: { info: (line) => log(`✓ ${line}`), warn: (line) => log(`! ${line}`) },
  });

  const nc = await connectToNats({ url: env.NATS_URL, name: 'oo-start' });
  try {
    const topology = new Topology(env.OO_NAMESPACE);
    await ensureStreams(await jetstreamManager(nc), topology, env.NATS_STREAM_REPLICAS);
    log(`✓ streams ${topology.streams.join(', ')}`);
  } finally {
    await nc.close();
  }
}
