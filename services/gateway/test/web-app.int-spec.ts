import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import type { ServiceApp } from '@oo/platform';
import { createTestNats, freePort, serviceTestEnv, type TestNats } from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const INDEX =
  '<!doctype html><html lang="en"><script type="module" src="/assets/index-a1b2c3.js"></script></html>';
const SCRIPT = `export const app = ${JSON.stringify('x'.repeat(4000))};`;

/**
 * The gateway serving a built SPA (a small stand-in for web/dist): files with the right
 * caching, the app for client routes, JSON 404s for the API, and the strict CSP on all of it.
 */
describe('the gateway serves the built web app', () => {
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  let dist: string;

  beforeAll(async () => {
    nats = await createTestNats('gateway_web_app');
    dist = await mkdtemp(join(tmpdir(), 'oo-web-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), INDEX);
    await writeFile(join(dist, 'assets', 'index-a1b2c3.js'), SCRIPT);
    // Compressed beside it, as the build writes them (web/build/precompress-plugin.ts).
    await writeFile(join(dist, 'assets', 'index-a1b2c3.js.br'), brotliCompressSync(SCRIPT));
    await writeFile(join(dist, 'assets', 'index-a1b2c3.js.gz'), gzipSync(SCRIPT));
    await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    await writeFile(join(dist, 'manifest.webmanifest'), '{"name":"oO"}');
    gateway = await createApp(
      loadGatewayEnv(
        await serviceTestEnv(nats, { PORT: String(await freePort()), WEB_APP_DIR: dist }),
      ),
    );
    base = await gateway.start();
  });

  afterAll(async () => {
    await gateway.stop();
    await nats.cleanup();
    await rm(dist, { recursive: true, force: true });
  });

  it('answers client routes with index.html, never cached, under a CSP without inline code', async () => {
    for (const path of ['/', '/settings', '/legal/terms?x=1', '/connect?connected=todoist']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toBe(INDEX);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('caches hashed assets for a year, compressed, and revalidates the rest by ETag', async () => {
    const asset = await fetch(`${base}/assets/index-a1b2c3.js`, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // Node's fetch decodes br itself; the raw length shows it was compressed on the wire.
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(await asset.text()).toBe(SCRIPT);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      void import('node:http').then(({ get }) =>
        get(`${base}/assets/index-a1b2c3.js`, { headers: { 'accept-encoding': 'br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    expect(raw.length).toBeLessThan(SCRIPT.length / 10);
    expect(brotliDecompressSync(raw).toString()).toBe(SCRIPT);

    // Each coding has its own validator; a weak or listed tag still revalidates.
    const brTag = asset.headers.get('etag')!;
    const plain = await fetch(`${base}/assets/index-a1b2c3.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('etag')).not.toBe(brTag);
    const refused = await fetch(`${base}/assets/index-a1b2c3.js`, {
      headers: { 'accept-encoding': 'br;q=0, gzip' },
    });
    expect(refused.headers.get('content-encoding')).toBe('gzip');
    const revalidated = await fetch(`${base}/assets/index-a1b2c3.js`, {
      headers: { 'accept-encoding': 'br', 'if-none-match': `"other", W/${brTag}` },
    });
    expect(revalidated.status).toBe(304);

    const worker = await fetch(`${base}/sw.js`);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const etag = worker.headers.get('etag')!;
    const again = await fetch(`${base}/sw.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await fetch(`${base}/manifest.webmanifest`)).headers.get('content-type')).toBe(
      'application/manifest+json',
    );
  });

  it('answers a missing file and unknown API paths with a JSON 404, not the app', async () => {
    for (const path of ['/assets/index-old.js', '/favicon.ico', '/api/nothing', '/health/nope']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    }
    // The API itself is untouched: a signed-in route still asks for a session.
    expect((await fetch(`${base}/api/tip`)).status).toBe(401);
  });
});
