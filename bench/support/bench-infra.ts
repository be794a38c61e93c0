/**
 * What every service bench sets up around the thing it measures: a namespace of its own on the
 * real NATS and Redis (removed again afterwards), the floor process it is compared with (the
 * NATS echo, the bare Fastify route), and a clean stop of the processes it started.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectToNats, ensureStreams, jetstreamManager, Topology } from '@oo/messaging';
import { freePort, startTsProcess, uniqueNamespace, type RunningProcess } from '@oo/testing';
import { Redis } from 'ioredis';
import { progress, withDeadline } from '../harness.js';

export interface BenchNamespace {
  natsUrl: string;
  redisUrl: string;
  topology: Topology;
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** Unprefixed: raw floors and the clean-up. */
  redis: Redis;
  /** Deletes the namespace's streams and Redis keys and closes the connections. */
  remove(): Promise<void>;
}

export async function openBenchNamespace(name: string): Promise<BenchNamespace> {
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const topology = new Topology(uniqueNamespace(`bench_${name}`));
  const nc = await connectToNats({ url: natsUrl, name: `bench-${name}` });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, topology);
  const redis = new Redis(redisUrl);
  const remove = async (): Promise<void> => {
    for (const stream of topology.streams) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
    await nc.close();
    try {
      await deleteKeys(redis, `${topology.namespace}:*`);
    } finally {
      await redis.quit();
    }
  };
  return { natsUrl, redisUrl, topology, nc, jsm, redis, remove };
}

/**
 * The echo floor (bench/support/echo-server.ts) as its own process, ready to answer:
 * `same` answers with the request's bytes, `sized` with as many bytes as the request names.
 */
export function startEcho(
  natsUrl: string,
  subject: string,
  reply: 'same' | 'sized' = 'same',
): Promise<RunningProcess> {
  return startFloor(
    'bench/support/echo-server.ts',
    { NATS_URL: natsUrl, ECHO_SUBJECT: subject, ECHO_REPLY: reply },
    'echo ready',
    'echo',
  );
}

/**
 * The HTTP floor (bench/support/hello-server.ts, a bare Fastify route) as its own process,
 * listening; its route is `<url>/hello`.
 */
export async function startHelloFloor(): Promise<{ process: RunningProcess; url: string }> {
  const port = await freePort();
  const floor = await startFloor(
    'bench/support/hello-server.ts',
    { PORT: String(port) },
    'ready',
    'hello',
  );
  return { process: floor, url: `http://127.0.0.1:${port}` };
}

/** Starts a floor process and resolves once it prints `readyLine`. */
async function startFloor(
  entry: string,
  env: Record<string, string>,
  readyLine: string,
  label: string,
): Promise<RunningProcess> {
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const floor = startTsProcess(entry, env, {
    onLine: (line) => (line === readyLine ? markReady() : progress(`  [${label}] ${line}`)),
  });
  const exitedEarly = floor.exited.then((code) => {
    throw new Error(`${label} floor exited (${code}) before it was ready:\n${floor.output()}`);
  });
  try {
    await withDeadline(Promise.race([ready, exitedEarly]), 60_000, `${label} floor start`);
  } catch (error) {
    await stopProcess(floor);
    throw error;
  }
  return floor;
}

/** SIGTERM to a process the bench started (its pid), SIGKILL if it does not stop in time. */
export async function stopProcess(child: RunningProcess): Promise<void> {
  if (child.child.exitCode !== null || child.child.signalCode !== null) return;
  child.kill('SIGTERM');
  try {
    await withDeadline(child.exited, 30_000, `stopping pid ${child.child.pid}`);
  } catch {
    child.kill('SIGKILL');
    await child.exited;
  }
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
