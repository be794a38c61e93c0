/**
 * The gateway's own CPU per request, isolated: the gateway runs as a process, and the services
 * behind it (`rpc.auth.keys`, `rpc.recommender.recommend`, `rpc.profile.legal`) are stubs in this
 * process answering at once with fixed bodies in Nest's wire format, so every CPU µs the
 * gateway's /proc counters show per request is the gateway's own (session verification,
 * Redis checks, rate limits, headers, Nest, the RPC client). Measured next to a bare Fastify
 * route, and a signed-in `GET /api/tip` at a fixed rate for its p50/p99.
 *
 * Env: BENCH_GATEWAY_CPU_REQUESTS (5,000 per route and round), BENCH_GATEWAY_CPU_RATE (300),
 * BENCH_GATEWAY_CPU_SECONDS (10), BENCH_GATEWAY_CPU_PROFILE=<dir> runs the gateway with
 * `node --cpu-prof` and leaves its profile there, BENCH_GATEWAY_CPU_ROOT=<checkout> runs the
 * gateway of another checkout (with its own `npm install`) for a before/after comparison.
 */
import { randomUUID } from 'node:crypto';
import type { Msg } from '@nats-io/transport-node';
import { RPC } from '@oo/contracts';
import { generateSigningKey, parseSigningKeys, publicJwks, signSessionToken } from '@oo/sessions';
import { freePort, waitForHealth, type RunningProcess } from '@oo/testing';
import { NODE_TS_ARGS, REPO_ROOT, startNodeProcess } from '@oo/devkit/process';
import { median, positiveInt, progress, type BenchReport } from './harness.js';
import { openBenchNamespace, startHelloFloor, stopProcess } from './support/bench-infra.js';
import { httpCall, keepAliveAgent } from './support/http-client.js';
import { closedLoop, openLoop, summarize } from './support/load.js';
import { readFileSync } from 'node:fs';
import { cpuMs } from './support/process-cpu.js';

const REQUESTS = positiveInt(process.env['BENCH_GATEWAY_CPU_REQUESTS'], 5_000);
const RATE = positiveInt(process.env['BENCH_GATEWAY_CPU_RATE'], 300);
const SECONDS = positiveInt(process.env['BENCH_GATEWAY_CPU_SECONDS'], 10);
const PROFILE_DIR = process.env['BENCH_GATEWAY_CPU_PROFILE'];
const GATEWAY_ROOT = process.env['BENCH_GATEWAY_CPU_ROOT'] ?? REPO_ROOT;
const IN_FLIGHT = 8;
const IDLE_SECONDS = 5;
const ROUNDS = 3;

const agent = keepAliveAgent(IN_FLIGHT);

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  status: number;
  pid: number | undefined;
}

async function get(target: Target): Promise<boolean> {
  const { status } = await httpCall(agent, target.url, { headers: target.headers });
  if (status !== target.status) throw new Error(`${target.url}: ${status}`);
  return true;
}

/** User and kernel CPU ms of a process so far (/proc, 100 ticks per second). */
function cpuSplit(pid: number | undefined): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/** CPU µs the target's server process spent per request over REQUESTS requests. */
async function cpuPerRequest(target: Target): Promise<number> {
  const before = cpuMs(target.pid);
  const run = await closedLoop(REQUESTS, IN_FLIGHT, () => get(target));
  if (run.errors) throw new Error(`${target.url}: ${run.errors} requests failed`);
  return ((cpuMs(target.pid) - before) * 1000) / REQUESTS;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Answers `subject` at once with `response`, as Nest's NATS transport would. */
function stub(
  nc: Awaited<ReturnType<typeof openBenchNamespace>>['nc'],
  wire: string,
  response: unknown,
): void {
  nc.subscribe(wire, {
    callback: (error: Error | null, message: Msg) => {
      if (error) return;
      const { id } = JSON.parse(decoder.decode(message.data)) as { id: string };
      message.respond(encoder.encode(JSON.stringify({ id, response, isDisposed: true })));
    },
  });
}

function sampleTip(): unknown {
  return {
    tipId: randomUUID(),
    taskId: '8123456789',
    title: 'Write the quarterly review for the platform team',
    source: 'todoist',
    priority: 3,
    due: '2026-12-04',
    servedAt: new Date().toISOString(),
    url: 'https://app.todoist.com/app/task/8123456789',
    why: {
      kind: 'model',
      reasons: [
        { term: 'due_soon', text: 'It is due tomorrow' },
        { term: 'priority', text: 'You marked it important' },
      ],
      summary: 'Due tomorrow and important to you',
    },
    explored: false,
    policy: 'linucb-v1',
  };
}

/** Benchmark entry. */
export async function gatewayCpu(): Promise<BenchReport> {
  const space = await openBenchNamespace('gateway_cpu');
  const keys = generateSigningKey('bench');
  const [signingKey] = parseSigningKeys(keys);
  stub(space.nc, space.topology.wire(RPC.auth.keys), publicJwks([signingKey!]));
  stub(space.nc, space.topology.wire(RPC.recommender.recommend), {
    tip: sampleTip(),
    policy: 'linucb-v1',
    latencyMs: 1,
  });
  stub(space.nc, space.topology.wire(RPC.profile.legal), {
    document: 'terms',
    version: '2026-11-01',
    markdown: '# Terms\n\nBe kind.',
  });
  await space.nc.flush();
  const children: RunningProcess[] = [];
  try {
    const port = await freePort();
    const env = {
      NATS_URL: space.natsUrl,
      REDIS_URL: space.redisUrl,
      OO_NAMESPACE: space.topology.namespace,
      OO_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      RATE_LIMIT_IP_PER_MINUTE: '1000000000',
      RATE_LIMIT_USER_PER_MINUTE: '1000000000',
    };
    const entry = 'services/gateway/src/main.ts';
    const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const gateway = startNodeProcess([...profile, ...NODE_TS_ARGS, entry], env, {
      cwd: GATEWAY_ROOT,
    });
    children.push(gateway);
    const hello = await startHelloFloor();
    children.push(hello.process);
    progress('starting the gateway and the bare Fastify floor…');
    await waitForHealth(`http://127.0.0.1:${port}`, { timeoutMs: 60_000, process: gateway });
    const token = await signSessionToken(
      signingKey!,
      { userId: 'bench-user', sessionId: 'bench' },
      3600,
    );
    const signedIn = { cookie: `oo_session=${token}; oo_csrf=abc` };
    const gatewayPid = gateway.child.pid;
    const targets: Target[] = [
      {
        name: 'bare Fastify /hello',
        url: `${hello.url}/hello`,
        headers: {},
        status: 200,
        pid: hello.process.child.pid,
      },
      {
        name: 'gateway GET /health/live (public, no session)',
        url: `http://127.0.0.1:${port}/health/live`,
        headers: {},
        status: 200,
        pid: gatewayPid,
      },
      {
        name: 'gateway GET /api/legal/terms (public, RPC stub)',
        url: `http://127.0.0.1:${port}/api/legal/terms`,
        headers: {},
        status: 200,
        pid: gatewayPid,
      },
      {
        name: 'gateway GET /api/session (signed in, no RPC)',
        url: `http://127.0.0.1:${port}/api/session`,
        headers: signedIn,
        status: 200,
        pid: gatewayPid,
      },
      {
        name: 'gateway GET /api/tip (signed in, RPC stub)',
        url: `http://127.0.0.1:${port}/api/tip`,
        headers: signedIn,
        status: 200,
        pid: gatewayPid,
      },
    ];
    progress('warming up…');
    for (let i = 0; i < 1000; i += 1) await Promise.all(targets.map((target) => get(target)));

    const idleBefore = cpuMs(gatewayPid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idlePerSecond = (cpuMs(gatewayPid) - idleBefore) / IDLE_SECONDS;
    progress(`  idle: ${idlePerSecond.toFixed(1)} ms of CPU per second`);

    const cpu = new Map<string, number[]>(targets.map((target) => [target.name, []]));
    const fixed: Array<{ p50: number; p99: number; cpu: number; system: number }> = [];
    const tip = targets.at(-1)!;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of targets) {
        cpu.get(target.name)!.push(await cpuPerRequest(target));
      }
      const before = cpuSplit(gatewayPid);
      const run = await openLoop({ rate: RATE, seconds: SECONDS, send: () => get(tip) });
      if (run.errors) throw new Error(`${tip.url}: ${run.errors} requests failed at ${RATE}/s`);
      const after = cpuSplit(gatewayPid);
      const per = (ms: number): number => (ms * 1000) / run.samples.length;
      fixed.push({
        ...summarize(run.samples),
        cpu: per(after.user + after.system - before.user - before.system),
        system: per(after.system - before.system),
      });
      progress(
        `  round ${round + 1}: ${targets.map((t) => `${Math.round(cpu.get(t.name)!.at(-1)!)} µs`).join(', ')}; tip at ${RATE}/s ${Math.round(fixed.at(-1)!.cpu)} µs CPU (${Math.round(fixed.at(-1)!.system)} in the kernel), p99 ${Math.round(fixed.at(-1)!.p99)} µs`,
      );
    }
    return {
      tables: [
        {
          title: `Server CPU per request (median of ${ROUNDS} rounds of ${REQUESTS}, ${IN_FLIGHT} in flight; /proc utime+stime)`,
          columns: ['route', 'CPU µs / request'],
          rows: targets.map((target) => [target.name, Math.round(median(cpu.get(target.name)!))]),
        },
        {
          title: `Signed-in GET /api/tip at ${RATE} req/s for ${SECONDS} s (recommender stubbed), median of ${ROUNDS}`,
          columns: ['gateway CPU µs / request', 'of which kernel', 'p50 µs', 'p99 µs'],
          rows: [
            [
              Math.round(median(fixed.map((run) => run.cpu))),
              Math.round(median(fixed.map((run) => run.system))),
              Math.round(median(fixed.map((run) => run.p50))),
              Math.round(median(fixed.map((run) => run.p99))),
            ],
          ],
        },
      ],
      notes: [
        'The recommender, auth and profile are stubs answering at once: the gateway figures are its own CPU.',
        `Gateway from ${GATEWAY_ROOT}; idle it used ${idlePerSecond.toFixed(1)} ms of CPU per second.`,
      ],
    };
  } finally {
    for (const child of children) await stopProcess(child);
    await space.remove();
  }
}
