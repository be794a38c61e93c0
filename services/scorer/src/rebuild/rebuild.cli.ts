/**
 * Rebuilds scorer state from the SIGNALS stream into a separate key space, compares it with
 * the live state and, with --swap, swaps it in.
 *
 *   npx nx run scorer:rebuild [-- --user <id> …] [--swap] [--json]
 *
 * Exit codes: 0 done (differences are reported, not failures), 1 failed, 64 bad arguments,
 * 78 bad environment.
 */
import { parseArgs } from 'node:util';
import { EnvError } from '@oo/config';
import { connectToNats, jetstream, jetstreamManager, Topology } from '@oo/messaging';
import { createLogger } from '@oo/observability';
import { createRedisClient } from '@oo/platform';
import { loadScorerEnv } from '../config/env.js';
import { ModelRepository } from '../store/model.repository.js';
import { StateRebuilder, type RebuildReport } from './state-rebuilder.js';

function parse(): { users: string[]; swap: boolean; json: boolean } {
  const { values } = parseArgs({
    options: {
      user: { type: 'string', multiple: true },
      swap: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  return { users: values.user ?? [], swap: values.swap, json: values.json };
}

function print(report: RebuildReport, swap: boolean): void {
  const rows: Array<[string, string | number]> = [
    ['feedback events read', report.events],
    ['learned', report.learned],
    ['duplicates skipped', report.duplicates],
    ['invalid skipped', report.invalid],
    ['erased users skipped', report.erasedUsers],
    ['users / models rebuilt', `${report.users} / ${report.models}`],
    ['models equal to live', report.compared.equal],
    ['models that differ', report.compared.differs],
    [
      'only live / only rebuilt',
      `${report.compared['only-live']} / ${report.compared['only-rebuilt']}`,
    ],
    ['largest relative difference', report.maxRelativeDifference],
    ['users swapped in', swap ? report.swapped : 'no (pass --swap)'],
    ['time', `${report.durationMs} ms (${report.eventsPerSecond} events/s)`],
  ];
  for (const [label, value] of rows) console.log(`${label.padEnd(30)} ${value}`);
  for (const difference of report.differences) {
    console.log(`  ${difference.status.padEnd(13)} ${difference.userId} ${difference.policy}`);
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: rebuild [--user <id>]… [--swap] [--json]`);
    return 64;
  }
  const env = loadScorerEnv();
  const logger = createLogger('scorer-rebuild', env.LOG_LEVEL);
  const nc = await connectToNats({ url: env.NATS_URL, name: 'scorer-rebuild' });
  const redis = createRedisClient(env.REDIS_URL, env.OO_NAMESPACE, 'scorer-rebuild');
  try {
    const rebuilder = new StateRebuilder(
      jetstream(nc),
      await jetstreamManager(nc),
      new Topology(env.OO_NAMESPACE),
      new ModelRepository(redis),
      logger,
    );
    const report = await rebuilder.run({ users: args.users, swap: args.swap });
    if (args.json) console.log(JSON.stringify(report));
    else print(report, args.swap);
    return 0;
  } finally {
    await redis.quit();
    await nc.drain();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof EnvError ? 78 : 1);
  },
);
