import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { createTestDatabase, type TestDatabase } from '@oo/database';
import { RpcClient } from '@oo/messaging';
import {
  createTestNats,
  expectEventually,
  freePort,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import { startNodeProcess, startTsProcess, type RunningProcess } from '../src/ts-process.js';

/** Development tooling that must not reach production (it is all in node_modules today). */
const DEV_PACKAGES = [
  '@swc/core',
  '@swc-node/register',
  '@swc/jest',
  'typescript',
  'jest',
  'prisma',
  'nx',
  'eslint',
  '@nestjs/testing',
  'testcontainers',
  'node',
];

interface Health {
  status: string;
  checks: Record<string, { status: string }>;
}

async function* filesOutsideNodeModules(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesOutsideNodeModules(path);
    else yield path;
  }
}

/** Every node_modules folder Node would search above `dir`: none may exist, or it could mask a missing package. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    if (existsSync(join(parent, 'node_modules'))) found.push(join(parent, 'node_modules'));
    if (dirname(parent) === parent) return found;
  }
}

async function runToEnd(process: RunningProcess, what: string): Promise<string> {
  const code = await process.exited;
  if (code !== 0) throw new Error(`${what} exited with ${code}:\n${process.output().slice(-3000)}`);
  return process.output();
}

describe('the production bundle of profile (npm run bundle): compiled, production dependencies only', () => {
  let bundleDir: string;
  let database: TestDatabase;
  let nats: TestNats;
  let service: RunningProcess | undefined;
  let url: string;
  let migratorOutput: string;

  beforeAll(async () => {
    const { redisUrl } = await testInfrastructure();
    // Outside the repository, so nothing can resolve from the workspace's full node_modules.
    bundleDir = await mkdtemp(join(tmpdir(), 'oo-bundle-profile-'));
    await runToEnd(
      startTsProcess(
        'libs/devkit/src/cli/bundle.ts',
        {},
        { args: ['profile', '--out', bundleDir] },
      ),
      'npm run bundle -- profile',
    );

    // An empty database, migrated by the migrator the bundle carries (as an initContainer would).
    database = await createTestDatabase({ services: [] });
    nats = await createTestNats('prod_bundle');
    const env = {
      NATS_URL: nats.url,
      REDIS_URL: redisUrl,
      DATABASE_URL: database.url,
      OO_NAMESPACE: nats.topology.namespace,
      OO_ENV: 'production',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    };
    migratorOutput = await runToEnd(
      startNodeProcess(['libs/database/dist/cli/migrate.js', 'profile'], env, { cwd: bundleDir }),
      'the bundled migrator',
    );

    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    service = startNodeProcess(['main.js'], { ...env, PORT: String(port) }, { cwd: bundleDir });
  }, 120_000);

  afterAll(async () => {
    if (service) {
      service.kill('SIGTERM');
      await service.exited;
    }
    await nats?.cleanup();
    await database?.drop();
    if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  });

  it('holds JavaScript and production packages only: no TypeScript, swc, Jest or Prisma CLI', async () => {
    expect(nodeModulesAbove(bundleDir)).toEqual([]);
    for (const name of DEV_PACKAGES) {
      expect({ name, present: existsSync(join(bundleDir, 'node_modules', name)) }).toEqual({
        name,
        present: false,
      });
    }
    for (const name of ['@nestjs/core', '@prisma/client', '@prisma/adapter-pg', 'pg']) {
      expect({ name, present: existsSync(join(bundleDir, 'node_modules', name)) }).toEqual({
        name,
        present: true,
      });
    }
    const typescript: string[] = [];
    for await (const file of filesOutsideNodeModules(bundleDir)) {
      if (file.endsWith('.ts')) typescript.push(file);
    }
    expect(typescript).toEqual([]);
    const manifest = JSON.parse(await readFile(join(bundleDir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest['devDependencies']).toBeUndefined();
    expect(manifest['scripts']).toBeUndefined();
  });

  it('migrates an empty database with the migrator it carries', () => {
    expect(migratorOutput).toContain('[profile] applied migration');
  });

  it('starts with plain node and reports healthy, with NATS and Postgres up', async () => {
    let health: Health | undefined;
    await expectEventually(
      async () => {
        const response = await fetch(`${url}/health`);
        expect(response.status).toBe(200);
        health = (await response.json()) as Health;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${service!.output().slice(-3000)}`);
    });
    expect(health).toMatchObject({
      status: 'ok',
      checks: { nats: { status: 'up' }, postgres: { status: 'up' } },
    });
  }, 70_000);

  it('answers RPC over NATS from Postgres, and serves the legal texts it ships', async () => {
    const rpc = new RpcClient(nats.nc, nats.topology);
    const userId = '0195f3c2-7a4e-7c3b-9d2a-3f1e5b6c7d8e';
    // Retried until the service listens (the health test may run after this one).
    await expectEventually(
      async () => {
        await rpc.call('rpc.profile.update', { userId, timezone: 'Europe/Berlin' });
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(await rpc.call('rpc.profile.get', { userId })).toMatchObject({
      userId,
      timezone: 'Europe/Berlin',
    });
    const terms = await rpc.call('rpc.profile.legal', { document: 'terms' });
    expect(terms.markdown.length).toBeGreaterThan(100);
  }, 70_000);
});
