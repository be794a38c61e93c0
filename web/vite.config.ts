import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { SERVER_PATH_PREFIXES } from './build/server-paths.ts';
import { precompressPlugin } from './build/precompress-plugin.ts';
import { serviceWorkerPlugin } from './build/service-worker-plugin.ts';

/** The app's folder: the config is run from the workspace root (`--config web/vite.config.ts`). */
const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm start` runs the gateway (its default port; OO_GATEWAY_URL when shifted). */
const GATEWAY_URL = process.env['OO_GATEWAY_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [react(), serviceWorkerPlugin(), precompressPlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The CSP allows no inline script or style, so nothing may be inlined as a data: URL either.
    assetsInlineLimit: 0,
    target: 'es2023',
  },
  server: {
    port: 5173,
    strictPort: true,
    // In development the gateway answers the API and the app stays same-origin through this
    // proxy. The gateway refuses mutations whose Origin is not its own, so the proxy presents
    // the gateway's origin (the browser is on :5173).
    proxy: Object.fromEntries(
      SERVER_PATH_PREFIXES.map((prefix) => [
        prefix,
        {
          target: GATEWAY_URL,
          configure: (proxy) => {
            proxy.on('proxyReq', (request) => {
              if (request.getHeader('origin')) request.setHeader('origin', GATEWAY_URL);
            });
          },
        },
      ]),
    ),
  },
  test: {
    root,
    environment: 'jsdom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
});
