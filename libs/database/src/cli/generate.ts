// Usage: node --import @swc-node/register/esm-register libs/database/src/cli/generate.ts [<service>...]
// Generates each service's Prisma client (services/<svc>/src/generated/prisma) offline, and
// with no service named also this lib's test fixture client. Runs on every `npm install`
// (postinstall), so a client whose output folder holds a stamp of its schema file and the
// Prisma version is up to date and skipped: one Prisma CLI process costs about a second.
// `prisma generate` never runs the schema engine, but the CLI insists on locating its native
// binary first, and downloading it fails here; any executable satisfies the check, so we
// point PRISMA_SCHEMA_ENGINE_BINARY at a stub unless the caller set a real one.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

import { servicePrismaPaths, workspaceRoot } from '../config/services.js';
import { parseServices, runCli } from './cli-args.js';

const STAMP_FILE = '.oo-generate-stamp';

runCli(async () => {
  const args = process.argv.slice(2);
  const root = workspaceRoot();
  const schemas = parseServices(args).map(
    (service) => servicePrismaPaths(service, root).schemaPath,
  );
  if (args.length === 0) {
    schemas.push(join(root, 'libs', 'database', 'test', 'fixtures', 'prisma', 'schema.prisma'));
  }
  const require = createRequire(import.meta.url);
  const prismaCli = require.resolve('prisma/build/index.js');
  const { version } = require('prisma/package.json') as { version: string };
  const stale: Array<{ schemaPath: string; stamp: Stamp }> = [];
  for (const schemaPath of schemas) {
    const stamp = await stampOf(schemaPath, version);
    if (stamp.output && (await readStamp(stamp.output)) === stamp.value) {
      console.info(`Prisma client for ${relative(root, schemaPath)} is up to date`);
    } else {
      stale.push({ schemaPath, stamp });
    }
  }
  if (stale.length === 0) return;

  const stubDir = await mkdtemp(join(tmpdir(), 'oo-prisma-stub-'));
  try {
    const engine = process.env['PRISMA_SCHEMA_ENGINE_BINARY'] ?? (await writeStubEngine(stubDir));
    const env = {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: engine,
      // No update check or telemetry call: there is no network to wait for.
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    };
    for (const { schemaPath, stamp } of stale) {
      await run(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], {
        cwd: root,
        env,
      });
      if (stamp.output) await writeFile(join(stamp.output, STAMP_FILE), `${stamp.value}\n`);
    }
  } finally {
    await rm(stubDir, { recursive: true, force: true });
  }
});

interface Stamp {
  /** The generator's output folder, where the stamp lives; undefined if the schema names none. */
  readonly output: string | undefined;
  readonly value: string;
}

/** What a generated client depends on: its schema file and the generator (the Prisma version). */
async function stampOf(schemaPath: string, prismaVersion: string): Promise<Stamp> {
  const schema = await readFile(schemaPath, 'utf8');
  const output = /^\s*output\s*=\s*"([^"]+)"/m.exec(schema)?.[1];
  return {
    output: output === undefined ? undefined : resolve(dirname(schemaPath), output),
    value: createHash('sha256').update(`prisma ${prismaVersion}\n`).update(schema).digest('hex'),
  };
}

async function readStamp(output: string): Promise<string | undefined> {
  try {
    return (await readFile(join(output, STAMP_FILE), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function writeStubEngine(dir: string): Promise<string> {
  const path = join(dir, 'schema-engine');
  await writeFile(
    path,
    '#!/bin/sh\necho "schema engine stub: only prisma generate is supported offline" >&2\nexit 1\n',
  );
  await chmod(path, 0o755);
  return path;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.slice(1).join(' ')} exited with ${code}`)),
    );
  });
}
