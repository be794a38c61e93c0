// `npm start`: makes sure NATS/Redis/Postgres answer (starting them if it can), applies
// migrations, provisions streams, starts the seven services and waits until all are healthy.
// It builds the web app the gateway serves when its sources changed.
// Without a real Todoist app (TODOIST_CLIENT_ID unset) it first starts a local Todoist with a
// demo task list and points the integrations service at it.
// Ctrl-C (or SIGTERM) stops them gracefully.
import { baseEnvSchema, EnvError, loadEnv, port } from '@oo/config';
import { prepareSystem } from '../prepare.js';
import { buildWebApp } from '../web-build.js';
import { SERVICES } from '../services.js';
import { startDevTodoist, type DevTodoist } from '../dev-todoist.js';
import {
  publicUrlOf,
  startServices,
  stopServices,
  waitUntilHealthy,
  type RunningService,
} from '../system.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const env = loadEnv(baseEnvSchema.extend({ OO_PORT_BASE: port(3000) }), process.env);
  // The web app builds while the database is migrated and the streams provisioned.
  const [web] = await Promise.all([buildWebApp(), prepareSystem(env, log)]);
  log(web.built ? `✓ web app built in ${Math.round(web.ms)} ms` : '✓ web app up to date');

  const todoist = await startDevTodoist(
    process.env,
    env.OO_PORT_BASE,
    publicUrlOf(process.env, env.OO_PORT_BASE),
    log,
  );
  const services = startServices({ ...process.env, ...todoist?.env }, env.OO_PORT_BASE, log);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= stopServices(services).then(async () => {
      todoist?.process.kill('SIGTERM');
      await todoist?.process.exited;
    }));
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  try {
    await waitUntilHealthy(services, 90_000);
  } catch (error) {
    log(`✗ ${(error as Error).message}`);
    await stop();
    return 1;
  }
  log(summary(services, env.OO_PORT_BASE, todoist));
  // Runs until stopped; a service that dies takes the system down with a clear line.
  const firstExit = await Promise.race([
    ...services.map((s) => s.process.exited.then(() => s.name)),
    ...(todoist ? [todoist.process.exited.then(() => 'the local Todoist')] : []),
  ]);
  if (!stopping) {
    log(`✗ ${firstExit} exited unexpectedly; stopping the others`);
    await stop();
    return 1;
  }
  await stopping;
  log('stopped');
  return 0;
}

function summary(services: RunningService[], base: number, todoist: DevTodoist | null): string {
  const gateway = services.find((s) => s.name === 'gateway')!;
  const rows = services.map((s) => `  ${s.name.padEnd(13)} http://localhost:${s.port}/health`);
  return [
    '',
    `oO is running on Node ${process.version}: all ${SERVICES.length} services healthy.`,
    `  open          http://localhost:${gateway.port}${base === 3000 ? '' : ` (ports ${base}–${base + 6})`}`,
    ...rows,
    todoist
      ? `  todoist       ${todoist.url} (local, demo tasks; set TODOIST_CLIENT_ID for the real one)`
      : '  todoist       the real Todoist (TODOIST_CLIENT_ID is set)',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof EnvError ? error.message : `✗ ${(error as Error).message}`}\n`,
    );
    process.exit(1);
  },
);
