/**
 * integrations: the service's CPU per `rpc.integrations.tasks` answered from a warm cache — the
 * call the recommender makes on every `GET /api/tip`. Read from /proc/<pid>/stat of the service
 * process (user + system time) around N calls, so the client's own work is not counted.
 *
 * Cases: one user's whole set of 50 tasks (12 KB), the same user asking for one task by
 * `taskIds` (the recommender's re-serve check), and 1,000 users of 50 tasks each called in a
 * scattered order (no single hot entry). Each case: a warm-up, then ROUNDS rounds of CALLS
 * calls with IN_FLIGHT in flight; the table holds the median round.
 *
 * The service runs as its own process against real NATS, Redis and Postgres; the entries are
 * written through `TaskCache` with `refreshAfter` an hour ahead, so no sync runs (Todoist is
 * never called: its URL points nowhere).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SyncedTask } from '@oo/contracts';
import { createTestDatabase } from '@oo/database';
import { createRedisClient } from '@oo/platform';
import { startNodeProcess } from '@oo/devkit/process';
import { freePort, NODE_TS_ARGS, REPO_ROOT, waitForHealth, type RunningProcess } from '@oo/testing';
import { TaskCache } from '../services/integrations/src/sync/task-cache.js';
import { median, positiveInt, progress, type BenchReport } from './harness.js';
import { openBenchNamespace, stopProcess } from './support/bench-infra.js';
import { cpuMs } from './support/process-cpu.js';
import { realisticTasks } from './support/tasks.js';

const CALLS = positiveInt(process.env['BENCH_CALLS'], 3_000);
const ROUNDS = positiveInt(process.env['BENCH_ROUNDS'], 3);
const IN_FLIGHT = positiveInt(process.env['BENCH_IN_FLIGHT'], 4);
/** A directory: the service then runs with `--cpu-prof` and writes its profile there on exit. */
const CPU_PROF_DIR = process.env['BENCH_CPU_PROF'];
const MANY_USERS = 1_000;
const FRESH_FOR_MS = 60 * 60 * 1000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function integrationsTasksCpuBench(): Promise<BenchReport> {
  const space = await openBenchNamespace('integrations_cpu');
  const { natsUrl, redisUrl, topology, nc } = space;
  const database = await createTestDatabase({ services: ['integrations'] });
  const serviceRedis = createRedisClient(redisUrl, topology.namespace, 'bench');
  let service: RunningProcess | undefined;
  try {
    const port = await freePort();
    const profiling = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    const nodeArgs = [...NODE_TS_ARGS, ...profiling, 'services/integrations/src/main.ts'];
    service = startNodeProcess(
      nodeArgs,
      {
        NATS_URL: natsUrl,
        REDIS_URL: redisUrl,
        DATABASE_URL: database.url,
        OO_NAMESPACE: topology.namespace,
        OO_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        TODOIST_API_URL: 'http://127.0.0.1:9/api/v1',
        TODOIST_OAUTH_URL: 'http://127.0.0.1:9/oauth',
        TODOIST_CLIENT_ID: 'bench-client',
        TODOIST_CLIENT_SECRET: 'bench-secret',
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      },
      { cwd: REPO_ROOT },
    );
    await waitForHealth(`http://127.0.0.1:${port}`, { timeoutMs: 60_000, process: service });
    const pid = service.child.pid!;
    const cache = new TaskCache(serviceRedis);

    const tasks = syncedTasks(50);
    const userIds = Array.from({ length: MANY_USERS }, (_, i) => `bench_cpu_${i}`);
    for (const [i, userId] of userIds.entries()) {
      await cache.write(userId, {
        tasks: tasks.map((task) => ({ ...task, taskId: `${task.taskId}${i}` })),
        syncedAt: new Date().toISOString(),
        status: 'ok',
        refreshAfter: Date.now() + FRESH_FOR_MS,
      });
    }
    const subject = topology.wire('rpc.integrations.tasks');
    const body = (data: object): Uint8Array =>
      encoder.encode(JSON.stringify({ pattern: 'rpc.integrations.tasks', data, id: '1' }));
    const one = userIds[0]!;
    const cases: Array<{ label: string; bodies: Uint8Array[] }> = [
      { label: '1 user, whole set of 50 tasks', bodies: [body({ userId: one })] },
      {
        label: '1 user, taskIds: [one of the 50]',
        bodies: [body({ userId: one, taskIds: [`${tasks[17]!.taskId}0`] })],
      },
      {
        label: `${MANY_USERS.toLocaleString('en-US')} users, whole set of 50 each`,
        bodies: userIds.map((userId) => body({ userId })),
      },
    ];

    const rows: Array<[string, number, number, number]> = [];
    for (const { label, bodies } of cases) {
      const replyBytes = (await nc.request(subject, bodies[0], { timeout: 10_000 })).data;
      if (!decoder.decode(replyBytes).startsWith('{"response"')) {
        // An old service refuses `taskIds`: report it and go on with the other cases.
        progress(`  ${label}: refused (${decoder.decode(replyBytes).slice(0, 200)})`);
        continue;
      }
      const call = async (i: number): Promise<void> => {
        const reply = await nc.request(subject, bodies[(i * 7919) % bodies.length], {
          timeout: 10_000,
        });
        if (reply.data.length < 12) throw new Error(`${label}: empty reply`);
      };
      await inFlight(call, Math.max(1_000, bodies.length));
      const micros: number[] = [];
      const rates: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const cpuBefore = cpuMs(pid);
        const started = performance.now();
        await inFlight(call, CALLS);
        const elapsed = performance.now() - started;
        micros.push(((cpuMs(pid) - cpuBefore) * 1000) / CALLS);
        rates.push(Math.round((CALLS * 1000) / elapsed));
        progress(`  ${label} round ${round + 1}: ${Math.round(micros.at(-1)!)} µs CPU per call`);
      }
      rows.push([label, replyBytes.length, Math.round(median(micros)), Math.round(median(rates))]);
    }
    return {
      tables: [
        {
          title: 'integrations: service CPU per rpc.integrations.tasks (warm cache)',
          columns: ['case', 'reply bytes', 'CPU µs per call', `calls/s, ${IN_FLIGHT} in flight`],
          rows,
        },
      ],
      notes: [
        `${CALLS} calls per round, median of ${ROUNDS} rounds; CPU = utime + stime of the service process.`,
      ],
    };
  } finally {
    if (service) await stopProcess(service);
    await space.remove();
    await serviceRedis.quit();
    await database.drop();
  }
}

/** 50 tasks as the sync stores them (~240 bytes each). */
function syncedTasks(count: number): SyncedTask[] {
  return realisticTasks(count).map((input, i) => ({
    taskId: `6Xk${String(i).padStart(5, '0')}`,
    title: input.content,
    priority: input.priority ?? 1,
    due: input.dueDate ?? null,
    dueTimezone: null,
    addedAt: '2026-11-20T09:15:00.000000Z',
    isRecurring: i % 10 === 0,
    url: `https://app.todoist.com/app/task/6Xk${String(i).padStart(5, '0')}`,
  }));
}

async function inFlight(call: (i: number) => Promise<void>, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await call(next++);
    }),
  );
}
