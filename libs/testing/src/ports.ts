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

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const port = await listenable(0, '127.0.0.1');
  if (port === undefined) throw new Error('no free port');
  return port;
}

/**
 * The first of `count` consecutive free ports (services started with a port base need a run).
 * Drawn below Linux's ephemeral range (32768–60999 by default), from which `freePort` and every
 * outgoing connection take theirs: a run there could be handed to another test's service in
 * the seconds before this one's services bind it (a gateway then never started, and requests
 * met that other server's 404s).
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
