import type { BaseEnv } from '@oo/config';
import {
  applyMigrations,
  DATABASE_SERVICES,
  ensureDatabase,
  servicePrismaPaths,
} from '@oo/database';
import { connectToNats, ensureStreams, jetstreamManager, Topology } from '@oo/messaging';
import { DATA_DIR, ensureInfrastructure, infrastructureOf } from './infrastructure.js';

/** Everything the services need before they start: infrastructure, schemas, streams. */
export async function prepareSystem(env: BaseEnv, log: (line: string) => void): Promise<void> {
  const problems = await ensureInfrastructure(infrastructureOf(env), DATA_DIR, log);
  if (problems.length > 0) {
    throw new Error(`Missing infrastructure:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  if (await ensureDatabase(env.DATABASE_URL)) log('✓ created the database');
  for (const service of DATABASE_SERVICES) {
    const applied = await applyMigrations({
      connectionString: env.DATABASE_URL,
      schema: service,
      migrationsDir: servicePrismaPaths(service).migrationsDir,
    });
    log(`✓ ${service} schema migrated${applied.length ? ` (${applied.length} applied)` : ''}`);
  }

  const nc = await connectToNats({ url: env.NATS_URL, name: 'oo-start' });
  try {
    const topology = new Topology(env.OO_NAMESPACE);
    await ensureStreams(await jetstreamManager(nc), topology, env.NATS_STREAM_REPLICAS);
    log(`✓ streams ${topology.signalsStream} and ${topology.deadLetterStream}`);
  } finally {
    await nc.close();
  }
}
