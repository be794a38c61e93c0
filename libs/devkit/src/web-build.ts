import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
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
 *
 * Several processes may ask at once (`npm start` beside the browser tests, two test files): one
 * builds under a lock file, the others wait for it and then find web/dist fresh. The build goes
 * to a folder of its own and replaces web/dist in one rename, so a gateway reading web/dist at
 * its start never sees half of one build and half of another.
 */
export async function buildWebApp({ force = false } = {}): Promise<WebBuild> {
  const started = performance.now();
  const release = await lock();
  try {
    if (!force && !(await isStale())) return { built: false, ms: performance.now() - started };
    const staging = join(WEB, `.dist-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await promisify(execFile)(
        process.execPath,
        [
          join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          join(WEB, 'vite.config.ts'),
          '--outDir',
          staging,
          '--emptyOutDir',
          '--mode',
          'production',
          '--logLevel',
          'warn',
        ],
        // Always what production serves, whoever asks: under Jest NODE_ENV is `test`, which
        // would give React's development build and no service worker.
        {
          cwd: REPO_ROOT,
          env: { ...process.env, NODE_ENV: 'production' },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      const previous = `${staging}-old`;
      if (existsSync(WEB_DIST)) await rename(WEB_DIST, previous);
      await rename(staging, WEB_DIST);
      await rm(previous, { recursive: true, force: true });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return { built: true, ms: performance.now() - started };
  } finally {
    await release();
  }
}

const LOCK = join(WEB, '.build.lock');
/** A lock older than this was left by a build that died: taken over. */
const STALE_LOCK_MS = 5 * 60_000;

async function lock(): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(LOCK, 'wx');
      await handle.close();
      return () => rm(LOCK, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) await rm(LOCK, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
