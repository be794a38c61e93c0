import { createServer } from 'node:net';

function listenable(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : undefined),
      );
    });
  });
}

/**
 * A TCP port nothing listens on right now, for a service a test starts with a port it must
 * know first. Drawn like `freePortRange`'s, below the ephemeral range: a port the kernel just
 * handed out from there (as `listen(0)` would) can go to another test's outgoing connection or
 * server in the seconds before this one's binds it — a gateway then never started, and its
 * test met that other server's 404s (seen in CI).
 */
export async function freePort(): Promise<number> {
  return freePortRange(1);
}

/**
 * The first of `count` consecutive free ports (services started with a port base need a run).
 * Drawn below Linux's ephemeral range (32768–60999 by default), from which `listen(0)` and
 * every outgoing connection take theirs, so nothing else is handed them meanwhile.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - count));
    const ports = await Promise.all(
      Array.from({ length: count }, (_, i) => listenable(base + i, '0.0.0.0')),
    );
    if (ports.every((port) => port !== undefined)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
