// @vitest-environment node
// Build code: it reads the worker's template from disk, as Vite runs it.
import { describe, expect, it } from 'vitest';
import { SERVER_PATH_PREFIXES } from '../../build/server-paths';
import { serviceWorkerSource } from '../../build/service-worker-plugin';
import viteConfig from '../../vite.config';

describe("the server's path prefixes, kept in one list", () => {
  it('are left to the network by the service worker', () => {
    const source = serviceWorkerSource('v1', ['index.html']);
    expect(source).toContain(`const SERVER_PREFIXES = ${JSON.stringify(SERVER_PATH_PREFIXES)};`);
    expect(source).not.toMatch(/__OO_[A-Z_]+__/);
  });

  it('are proxied to the gateway by the dev server', () => {
    expect(Object.keys(viteConfig.server?.proxy ?? {})).toEqual([...SERVER_PATH_PREFIXES]);
  });
});
