import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { SERVER_PATH_PREFIXES } from './server-paths.ts';

const TEMPLATE = new URL('./service-worker.template.js', import.meta.url);
export const SERVICE_WORKER_FILE = 'sw.js';

/** Built files the worker never precaches: itself, and source maps nobody needs offline. */
const isPrecachable = (fileName: string): boolean =>
  fileName !== SERVICE_WORKER_FILE && !fileName.endsWith('.map');

/**
 * Emits `sw.js` next to the built app: the worker template with the list of every file the
 * build wrote (index.html, hashed assets, public files such as the manifest and icons) and a
 * version that changes whenever any of them does, so a deploy installs a fresh cache.
 */
export function serviceWorkerPlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'oo:service-worker',
    apply: 'build',
    // After Vite's own plugins, so index.html is already in the bundle.
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      const files = new Map<string, string | Uint8Array>();
      for (const item of Object.values(bundle)) {
        files.set(item.fileName, item.type === 'chunk' ? item.code : item.source);
      }
      for (const [fileName, content] of publicFiles(config.publicDir)) {
        files.set(fileName, content);
      }
      const precache = [...files.keys()].filter(isPrecachable).sort();
      this.emitFile({
        type: 'asset',
        fileName: SERVICE_WORKER_FILE,
        source: serviceWorkerSource(versionOf(precache, files), precache),
      });
    },
  };
}

/** The worker's source for one build: the template with its placeholders filled. */
export function serviceWorkerSource(version: string, precache: readonly string[]): string {
  const urls = precache.map((fileName) => `/${fileName}`);
  return readFileSync(TEMPLATE, 'utf8')
    .replace('__OO_VERSION__', JSON.stringify(version))
    .replace('__OO_PRECACHE__', JSON.stringify(urls))
    .replace('__OO_SERVER_PREFIXES__', JSON.stringify(SERVER_PATH_PREFIXES));
}

function versionOf(precache: readonly string[], files: ReadonlyMap<string, string | Uint8Array>) {
  const hash = createHash('sha256');
  for (const fileName of precache) hash.update(fileName).update('\0').update(files.get(fileName)!);
  return hash.digest('base64url').slice(0, 12);
}

/** The files Vite copies from `public/` as they are, by their path in the built app. */
function publicFiles(publicDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!publicDir || !existsSync(publicDir)) return files;
  for (const entry of readdirSync(publicDir, { recursive: true, encoding: 'utf8' })) {
    const path = join(publicDir, entry);
    if (statSync(path).isFile() && !basename(entry).startsWith('.')) {
      files.set(relative(publicDir, path).split(sep).join('/'), readFileSync(path));
    }
  }
  return files;
}
