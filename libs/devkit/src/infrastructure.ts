import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseEnv } from '@oo/config';
import { answers, waitUntilAnswers } from './probe.js';
import { REPO_ROOT } from './ts-process.js';

/** Where locally started servers and generated development secrets keep their data. */
export const DATA_DIR = join(REPO_ROOT, '.data');

export interface Dependency {
  name: 'NATS' | 'Redis' | 'Postgres';
  url: string;
}

interface Endpoint {
  host: string;
  port: number;
}

/** The servers every service needs, at the URLs the environment names. */
export function infrastructureOf(env: BaseEnv): Dependency[] {
  return [
    { name: 'NATS', url: env.NATS_URL },
    { name: 'Redis', url: env.REDIS_URL },
    { name: 'Postgres', url: env.DATABASE_URL },
  ];
}

const DEFAULT_PORTS = { NATS: 4222, Redis: 6379, Postgres: 5432 } as const;
const COMPOSE_SERVICE = { NATS: 'nats', Redis: 'redis', Postgres: 'postgres' } as const;

function endpoint({ name, url }: Dependency): Endpoint {
  const first = url.split(',')[0]!;
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port) || DEFAULT_PORTS[name] };
}

const isLocal = ({ host }: Endpoint): boolean => ['127.0.0.1', 'localhost', '::1'].includes(host);

function which(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function dockerEngineAnswers(): boolean {
  return (
    which('docker') !== undefined &&
    spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0
  );
}

function postgresBinDir(): string | undefined {
  const onPath = which('pg_ctl');
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')));
}

/** Starts one dependency from the machine's own binaries, keeping its data under `.data/`. */
function startLocally(dep: Dependency, at: Endpoint, dataDir: string): string | undefined {
  const dir = join(dataDir, dep.name.toLowerCase());
  mkdirSync(dir, { recursive: true });
  if (dep.name === 'NATS') {
    const bin = which('nats-server');
    if (!bin) return 'nats-server is not installed (Debian: apt-get install nats-server)';
    const child = spawnSync('sh', [
      '-c',
      `nohup ${bin} -a ${at.host} -p ${at.port} -js -sd ${dir} -l ${dir}/nats.log >/dev/null 2>&1 &`,
    ]);
    return child.status === 0 ? undefined : 'nats-server did not start';
  }
  if (dep.name === 'Redis') {
    const bin = which('redis-server');
    if (!bin) return 'redis-server is not installed (Debian: apt-get install redis-server)';
    const child = spawnSync(bin, [
      '--daemonize',
      'yes',
      '--bind',
      at.host,
      '--port',
      String(at.port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--logfile',
      join(dir, 'redis.log'),
    ]);
    return child.status === 0 ? undefined : 'redis-server did not start';
  }
  const bin = postgresBinDir();
  if (!bin)
    return 'PostgreSQL server binaries are not installed (Debian: apt-get install postgresql)';
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    execFileSync(join(bin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust'], {
      stdio: 'ignore',
    });
  }
  const child = spawnSync(
    join(bin, 'pg_ctl'),
    [
      '-D',
      dir,
      '-l',
      join(dir, 'postgres.log'),
      '-o',
      `-p ${at.port} -k ${dir} -h ${at.host}`,
      'start',
    ],
    { stdio: 'ignore' },
  );
  return child.status === 0 ? undefined : `postgres did not start (see ${dir}/postgres.log)`;
}

/**
 * Makes sure NATS, Redis and Postgres answer at their URLs: already running → nothing to do;
 * else docker compose when a Docker engine answers; else the machine's own binaries with data
 * in `.data/`. Returns one problem line per dependency that is still unreachable.
 */
export async function ensureInfrastructure(
  deps: Dependency[],
  dataDir: string,
  log: (line: string) => void,
): Promise<string[]> {
  const problems: string[] = [];
  const down: Array<{ dep: Dependency; at: Endpoint }> = [];
  for (const dep of deps) {
    const at = endpoint(dep);
    if (await answers(at.host, at.port)) log(`✓ ${dep.name} at ${at.host}:${at.port}`);
    else down.push({ dep, at });
  }
  if (down.length === 0) return problems;

  const docker = dockerEngineAnswers();
  if (docker) {
    const names = down.map(({ dep }) => COMPOSE_SERVICE[dep.name]);
    log(`starting ${names.join(', ')} with docker compose`);
    spawnSync('docker', ['compose', 'up', '-d', '--wait', ...names], { stdio: 'inherit' });
  }
  for (const { dep, at } of down) {
    if (!docker) {
      if (!isLocal(at)) {
        problems.push(
          `${dep.name} does not answer at ${at.host}:${at.port} (not local, so not started here)`,
        );
        continue;
      }
      log(`starting ${dep.name} from local binaries (data in ${dataDir})`);
      const problem = startLocally(dep, at, dataDir);
      if (problem) {
        problems.push(`${dep.name}: ${problem}`);
        continue;
      }
    }
    if (await waitUntilAnswers(at.host, at.port, 20_000))
      log(`✓ ${dep.name} at ${at.host}:${at.port}`);
    else problems.push(`${dep.name} still does not answer at ${at.host}:${at.port}`);
  }
  return problems;
}
