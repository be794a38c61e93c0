/**
 * The gateway's `GET /api/me` (session cookie verified locally with auth's public keys,
 * revocation and per-user rate-limit checks in Redis, RPC to profile, JSON back) next to a bare
 * Fastify hello route, in the same run: p50/p99 at a fixed request rate and the most requests
 * per second with 32 in flight. gateway, auth, profile and the floor are separate processes.
 */
import { createTestDatabase } from '@oo/database';
import { connectToNats, ensureStreams, jetstreamManager, Topology } from '@oo/messaging';
import { generateSigningKey, parseSigningKeys, signSessionToken } from '@oo/sessions';
import {
  freePort,
  startTsProcess,
  uniqueNamespace,
  waitForHealth,
  type RunningProcess,
} from '@oo/testing';
import { median, positiveInt, progress, ratio, type BenchReport } from './harness.js';
import { startHelloFloor, stopProcess } from './support/bench-infra.js';
import { httpCall, keepAliveAgent } from './support/http-client.js';
import { closedLoop, openLoop, summarize } from './support/load.js';

const RATE = positiveInt(process.env['BENCH_GATEWAY_RATE'], 500);
const SECONDS = positiveInt(process.env['BENCH_GATEWAY_SECONDS'], 5);
const IN_FLIGHT = 32;
const THROUGHPUT_REQUESTS = positiveInt(process.env['BENCH_GATEWAY_REQUESTS'], 10_000);
const ROUNDS = 3;

interface Target {
  url: string;
  headers: Record<string, string>;
}

const agent = keepAliveAgent(IN_FLIGHT);

async function get(target: Target): Promise<boolean> {
  const { status } = await httpCall(agent, target.url, { headers: target.headers });
  if (status !== 200) throw new Error(`${target.url}: ${status}`);
  return true;
}

/** Open loop: one request every 1/RATE s whatever the answers do, so slowness shows in p99. */
async function atFixedRate(
  target: Target,
): Promise<{ p50: number; p99: number; achieved: number }> {
  const run = await openLoop({ rate: RATE, seconds: SECONDS, send: () => get(target) });
  if (run.errors) throw new Error(`${target.url}: ${run.errors} requests failed at ${RATE}/s`);
  const { p50, p99 } = summarize(run.samples);
  return { p50, p99, achieved: run.achievedRate };
}

async function throughput(target: Target): Promise<number> {
  const run = await closedLoop(THROUGHPUT_REQUESTS, IN_FLIGHT, () => get(target));
  if (run.errors) throw new Error(`${target.url}: ${run.errors} requests failed`);
  return run.perSecond;
}

async function ready(port: number, child: RunningProcess): Promise<void> {
  await waitForHealth(`http://127.0.0.1:${port}`, { timeoutMs: 60_000, process: child }).catch(
    (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${child.output().slice(-2000)}`);
    },
  );
}

/** Benchmark entry. */
export async function gatewayMe(): Promise<BenchReport> {
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const namespace = uniqueNamespace('bench_gateway');
  const topology = new Topology(namespace);
  const nc = await connectToNats({ url: natsUrl, name: 'bench-gateway' });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, topology);
  const database = await createTestDatabase({ services: ['auth', 'profile'] });
  const keys = generateSigningKey('bench');
  const children: RunningProcess[] = [];
  try {
    const [gatewayPort, authPort, profilePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env = {
      NATS_URL: natsUrl,
      REDIS_URL: redisUrl,
      DATABASE_URL: database.url,
      OO_NAMESPACE: namespace,
      OO_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    const auth = startTsProcess('services/auth/src/main.ts', {
      ...env,
      PORT: String(authPort),
      SESSION_SIGNING_KEYS: keys,
    });
    const profile = startTsProcess('services/profile/src/main.ts', {
      ...env,
      PORT: String(profilePort),
    });
    const gateway = startTsProcess('services/gateway/src/main.ts', {
      ...env,
      PORT: String(gatewayPort),
      AUTH_URL: `http://127.0.0.1:${authPort}`,
      RATE_LIMIT_IP_PER_MINUTE: '1000000000',
      RATE_LIMIT_USER_PER_MINUTE: '1000000000',
    });
    children.push(auth, profile, gateway);
    const hello = await startHelloFloor();
    children.push(hello.process);
    progress('starting auth, profile, gateway and the bare Fastify floor…');
    await Promise.all([
      ready(authPort, auth),
      ready(profilePort, profile),
      // Ready includes auth's session keys: sessions verify from here on.
      ready(gatewayPort, gateway),
    ]);
    const [signingKey] = parseSigningKeys(keys);
    const token = await signSessionToken(
      signingKey!,
      { userId: 'bench-user', sessionId: 'bench' },
      3600,
    );
    const me: Target = {
      url: `http://127.0.0.1:${gatewayPort}/api/me`,
      headers: { cookie: `oo_session=${token}` },
    };
    const floor: Target = { url: `${hello.url}/hello`, headers: {} };
    for (let i = 0; i < 2000; i += 1) await Promise.all([get(me), get(floor)]);

    const fixed: Record<'me' | 'floor', Array<{ p50: number; p99: number; achieved: number }>> = {
      me: [],
      floor: [],
    };
    const rates: Record<'me' | 'floor', number[]> = { me: [], floor: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, target] of [
        ['floor', floor],
        ['me', me],
      ] as const) {
        fixed[name].push(await atFixedRate(target));
        rates[name].push(await throughput(target));
        progress(
          `  round ${round + 1} ${name}: p99 ${Math.round(fixed[name].at(-1)!.p99)} µs, ${rates[name].at(-1)} req/s`,
        );
      }
    }
    const med = (name: 'me' | 'floor', key: 'p50' | 'p99' | 'achieved'): number =>
      Math.round(median(fixed[name].map((run) => run[key])));
    return {
      tables: [
        {
          title: `gateway GET /api/me vs a bare Fastify route (medians of ${ROUNDS} rounds)`,
          columns: ['measure', 'bare Fastify', 'GET /api/me', 'ratio'],
          rows: [
            [
              `p50 at ${RATE} req/s (µs)`,
              med('floor', 'p50'),
              med('me', 'p50'),
              ratio(med('me', 'p50'), med('floor', 'p50')),
            ],
            [
              `p99 at ${RATE} req/s (µs)`,
              med('floor', 'p99'),
              med('me', 'p99'),
              ratio(med('me', 'p99'), med('floor', 'p99')),
            ],
            ['achieved rate (req/s)', med('floor', 'achieved'), med('me', 'achieved'), ''],
            [
              `throughput, ${IN_FLIGHT} in flight (req/s)`,
              Math.round(median(rates.floor)),
              Math.round(median(rates.me)),
              ratio(median(rates.me), median(rates.floor)),
            ],
          ],
        },
      ],
      notes: [
        `Each GET /api/me: cookie parsed, ES256 JWT verified with the public key (fetched once by rpc.auth.keys), revocations (one Redis MGET) and the per-user limit (one Redis EVAL) checked, per-IP limit (Redis), rpc.profile.get over NATS to the profile process (Postgres upsert), JSON back. Fixed rate: ${RATE} req/s open loop for ${SECONDS} s per round, each latency timed from its request’s due time (bench/support/load.ts). Client: node:http with keep-alive.`,
        '2 cores shared by the client, gateway, profile, auth, NATS, Redis and Postgres.',
      ],
    };
  } finally {
    for (const child of children) await stopProcess(child);
    agent.destroy();
    for (const stream of topology.streams) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await database.drop();
  }
}
