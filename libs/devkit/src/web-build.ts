import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './ts-process.js';

const WEB = join(REPO_ROOT, 'web');
export const WEB_DIST = join(WEB, 'dist');
/** What the build reads: a change to any of these makes web/dist stale. */
const WEB_SOURCES = ['index.html', 'vite.config.ts', 'tsconfig.json', 'src', 'public', 'build'];
/** And the dependencies it bundles (an upgrade changes the output). */
const WORKSPACE_INPUTS = ['package.json', 'package-lock.json'];

export interface WebBuild {
  /** False when web/dist was already newer than every source. */
  built: boolean;
  ms: number;
}

/**
 * Builds the SPA into web/dist (what the gateway serves) unless it is up to date, so `npm start`
 * ends with one URL that serves the app as production would. Vite runs as its own process: its
 * bundler's threads and memory are gone once it is done.
 */
export async function buildWebApp({ force = false } = {}): Promise<WebBuild> {
  const started = performance.now();
  if (!force && !(await isStale())) return { built: false, ms: performance.now() - started };
  await promisify(execFile)(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(WEB, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  return { built: true, ms: performance.now() - started };
}

async function isStale(): Promise<boolean> {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const builtAt = statSync(index).mtimeMs;
  const inputs = [
    ...WEB_SOURCES.map((source) => join(WEB, source)),
    ...WORKSPACE_INPUTS.map((input) => join(REPO_ROOT, input)),
  ];
  for (const input of inputs) {
    if ((await newestChange(input)) > builtAt) return true;
  }
  return false;
}

async function newestChange(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of await readdir(path, { recursive: true })) {
    newest = Math.max(newest, statSync(join(path, entry)).mtimeMs);
  }
  return newest;
}
