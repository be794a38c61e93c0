// Usage: node --import @swc-node/register/esm-register libs/database/src/cli/generate.ts [<service>...]
// Generates each service's Prisma client (services/<svc>/src/generated/prisma) offline, and
// with no service named also this lib's test fixture client.
// `prisma generate` never runs the schema engine, but the CLI insists on locating its native
// binary first, and downloading it fails here; any executable satisfies the check, so we
// point PRISMA_SCHEMA_ENGINE_BINARY at a stub unless the caller set a real one.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { servicePrismaPaths, workspaceRoot } from '../config/services.js';
import { parseServices, runCli } from './cli-args.js';

runCli(async () => {
  const args = process.argv.slice(2);
  const services = parseServices(args);
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
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
    const root = workspaceRoot();
    for (const service of services) {
      const config = join(servicePrismaPaths(service, root).serviceDir, 'prisma.config.ts');
      await run(process.execPath, [prismaCli, 'generate', '--config', config], { cwd: root, env });
    }
    if (args.length === 0) {
      const fixture = join(root, 'libs', 'database', 'test', 'fixtures', 'prisma', 'schema.prisma');
      await run(process.execPath, [prismaCli, 'generate', '--schema', fixture], { cwd: root, env });
    }
  } finally {
    await rm(stubDir, { recursive: true, force: true });
  }
});

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
