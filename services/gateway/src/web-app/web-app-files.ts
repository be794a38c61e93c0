import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** One file of the built SPA, held in memory with its compressed forms (the app is small). */
export interface WebAppFile {
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly brotli: Buffer | undefined;
  readonly contentType: string;
  readonly etag: string;
  readonly cacheControl: string;
}

export interface WebAppFiles {
  readonly dir: string;
  /** By URL path: `/index.html`, `/assets/index-3f2a9c.js`, … */
  readonly files: ReadonlyMap<string, WebAppFile>;
  readonly index: WebAppFile;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
/**
 * Vite names what it builds under `assets/` by content hash, so those never change and are
 * cached for a year; everything else (index.html, sw.js, the manifest, icons) is revalidated
 * on every use (a 304 when unchanged), so a deploy reaches every browser at once.
 */
function cacheControlOf(path: string): string {
  return path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Reads the built app (`web/dist`) once. Undefined when it has not been built (no index.html):
 * the gateway still serves the API then. The build writes `<file>.br` and `<file>.gz` beside
 * each text file (web/build/precompress-plugin.ts); they are sent as they are.
 */
export async function loadWebAppFiles(dir: string): Promise<WebAppFiles | undefined> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return undefined;
  }
  const files = new Map<string, WebAppFile>();
  for (const entry of entries) {
    const extension = extname(entry.name);
    if (!entry.isFile() || !(extension in CONTENT_TYPES)) continue;
    const file = join(entry.parentPath, entry.name);
    const body = await readFile(file);
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    files.set(path, {
      body,
      gzip: await readIfThere(`${file}.gz`),
      brotli: await readIfThere(`${file}.br`),
      contentType: CONTENT_TYPES[extension]!,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: cacheControlOf(path),
    });
  }
  const index = files.get('/index.html');
  return index ? { dir, files, index } : undefined;
}

const readIfThere = (path: string): Promise<Buffer | undefined> =>
  readFile(path).catch(() => undefined);
