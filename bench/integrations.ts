/**
 * integrations (issue 9): `rpc.integrations.tasks` answered from a warm cache, and the sync of
 * 1,000 tasks from Todoist.
 *
 * - Warm cache: p50/p99 with one request in flight, throughput and p99 with IN_FLIGHT, for one
 *   user with 50, 200 and 5,000 listed tasks (the last capped to what fits in one NATS message)
 *   and for 1,000 users with 50 tasks each (so no single hot key carries the figure). Beside it,
 *   in the same run and alternating round by round: a raw Redis GET of the very cached value,
 *   and a raw NATS request whose reply has the very size of the RPC's reply.
 * - Sync: a cold first sync of 1,000 tasks (5 pages of 200), a resync with nothing changed and
 *   one with one task renamed; wall time and the requests taken from the user's budget.
 *
 * Everything runs as separate processes: the service (`services/integrations/src/main.ts`),
 * the local Todoist (`startLocalTodoistProcess`), the floor echo. Users are connected the way
 * the tests connect them: a token from the local Todoist's OAuth flow, saved through
 * `ConnectionRepository` (encrypted). The set of the warm-cache users is synced for real, then
 * its cache entry is kept fresh (refreshAfter an hour ahead) so no background refresh runs
 * while measuring; the 1,000 users' entries are written through `TaskCache`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SyncedTask } from '@oo/contracts';
import { createPrismaAdapter, createTestDatabase } from '@oo/database';
import type { TaskInput } from '@oo/local-todoist';
import {
  RpcClient,
  type jetstreamManager,
  type NatsConnection,
  type Topology,
} from '@oo/messaging';
import { createRedisClient } from '@oo/platform';
import {
  freePort,
  startLocalTodoistProcess,
  startTsProcess,
  waitForHealth,
  type LocalTodoistProcess,
  type RunningProcess,
} from '@oo/testing';
import type { Redis } from 'ioredis';
import { ConnectionRepository } from '../services/integrations/src/connections/connection.repository.js';
import { PrismaClient } from '../services/integrations/src/generated/prisma/client.js';
import { TaskCache, type CachedTasks } from '../services/integrations/src/sync/task-cache.js';
import {
  capTasks,
  MAX_SYNCED_TASKS,
  MESSAGE_OVERHEAD_BYTES,
} from '../services/integrations/src/sync/task-payload-cap.js';
import { todoistKeys } from '../services/integrations/src/todoist/todoist-keys.js';
import { TokenCipher } from '../services/integrations/src/tokens/token-cipher.js';
import { grantAccessToken } from '../services/integrations/test/support/local-todoist-grant.js';
import {
  median,
  perSecond,
  positiveInt,
  progress,
  ratio,
  withDeadline,
  type BenchReport,
  type Table,
} from './harness.js';
import { openBenchNamespace, startEcho, stopProcess } from './support/bench-infra.js';
import { realisticTasks } from './support/tasks.js';

const ROUNDS = positiveInt(process.env['BENCH_ROUNDS'], 3);
const IN_FLIGHT = 16;
const MANY_USERS = 1_000;
const SYNC_TASKS = 1_000;
const SYNC_REPEATS = positiveInt(process.env['BENCH_SYNC_REPEATS'], 5);
const CLIENT = { id: 'bench-client', secret: 'bench-secret' };
const FRESH_FOR_MS = 60 * 60 * 1000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Services {
  nc: NatsConnection;
  topology: Topology;
  /** Unprefixed: the floor GETs and the clean-up. */
  redis: Redis;
  /** The service's own view (namespace prefix), for `TaskCache`. */
  cache: TaskCache;
  todoist: LocalTodoistProcess;
  connections: ConnectionRepository;
  echoSubject: string;
  service: RunningProcess;
}

/** Boots everything in a namespace of its own, measures, and removes it all again. */
export async function integrationsBench(): Promise<BenchReport> {
  const space = await openBenchNamespace('integrations');
  const { natsUrl, redisUrl, topology, nc, jsm, redis } = space;
  const database = await createTestDatabase({ services: ['integrations'] });
  const serviceRedis = createRedisClient(redisUrl, topology.namespace, 'bench');
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(database.url, 'integrations'),
  });
  const children: RunningProcess[] = [];
  let todoist: LocalTodoistProcess | undefined;
  try {
    const key = randomBytes(32);
    todoist = await startLocalTodoistProcess({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: 'http://127.0.0.1:9/integrations/todoist/callback',
    });
    children.push(todoist.process);
    const echoSubject = topology.wire('bench.sized-echo');
    children.push(await startEcho(natsUrl, echoSubject, 'sized'));
    const port = await freePort();
    const service = startTsProcess(
      'services/integrations/src/main.ts',
      {
        NATS_URL: natsUrl,
        REDIS_URL: redisUrl,
        DATABASE_URL: database.url,
        OO_NAMESPACE: topology.namespace,
        OO_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        TODOIST_API_URL: todoist.apiUrl,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_CLIENT_ID: CLIENT.id,
        TODOIST_CLIENT_SECRET: CLIENT.secret,
        TOKEN_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
      },
      { onLine: (line) => progress(`  [integrations] ${line.slice(0, 300)}`) },
    );
    children.push(service);
    await waitForHealth(`http://127.0.0.1:${port}`, { timeoutMs: 60_000, process: service });
    const services: Services = {
      nc,
      topology,
      redis,
      cache: new TaskCache(serviceRedis),
      todoist,
      connections: new ConnectionRepository(prisma, new TokenCipher([{ kid: 'k1', key }])),
      echoSubject,
      service,
    };
    progress(`  namespace ${topology.namespace}; NATS max_payload ${nc.info?.max_payload}`);
    const sync = await measureSync(services, jsm);
    const warm = await measureWarmCache(services);
    return report(services, warm, sync);
  } finally {
    for (const child of children) await stopProcess(child);
    await space.remove();
    await serviceRedis.quit();
    await prisma.$disconnect();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------
// Users and their tasks

interface User {
  userId: string;
  todoistUserId: string;
}

/** A user connected with a token the local Todoist issued, holding `tasks`. */
async function connectedUser(services: Services, label: string, tasks: TaskInput[]): Promise<User> {
  const { control } = services.todoist;
  const todoistUser = await control.addUser();
  for (let start = 0; start < tasks.length; start += 1000) {
    await control.addTasks(todoistUser.id, tasks.slice(start, start + 1000), { notify: false });
  }
  const userId = `bench_${label}_${randomBytes(4).toString('hex')}`;
  const token = await grantAccessToken(services.todoist, CLIENT, todoistUser.id);
  await services.connections.save({
    userId,
    provider: 'todoist',
    providerUserId: todoistUser.id,
    scope: 'data:read_write',
    tokens: { accessToken: token, refreshToken: null, accessTokenExpiresAt: null },
  });
  return { userId, todoistUserId: todoistUser.id };
}

function tasksCall(services: Services, userId: string, timeoutMs = 5_000) {
  return new RpcClient(services.nc, services.topology).call(
    'rpc.integrations.tasks',
    { userId },
    timeoutMs,
  );
}

/** Requests the user's Todoist budget holds (the sliding window log in Redis). */
function budgetSpent(services: Services, userId: string): Promise<number> {
  return services.redis.zcard(`${services.topology.namespace}:${todoistKeys.budget(userId)}`);
}

/** Keeps a user's cached set fresh for the whole measurement: no background sync runs. */
async function keepFresh(services: Services, userId: string): Promise<CachedTasks> {
  const entry = await services.cache.read(userId);
  if (!entry) throw new Error(`${userId}: nothing cached after the sync`);
  const fresh = { ...entry, refreshAfter: Date.now() + FRESH_FOR_MS };
  await services.cache.write(userId, fresh);
  return fresh;
}

// ---------------------------------------------------------------------------------------------
// Sync of 1,000 tasks

interface SyncFigures {
  coldMs: number[];
  coldBudget: number[];
  unchangedMs: number[];
  unchangedBudget: number[];
  unchangedPublished: number;
  changedMs: number[];
  changedBudget: number[];
  changedPublished: number;
}

async function measureSync(
  services: Services,
  jsm: Awaited<ReturnType<typeof jetstreamManager>>,
): Promise<SyncFigures> {
  const figures: SyncFigures = {
    coldMs: [],
    coldBudget: [],
    unchangedMs: [],
    unchangedBudget: [],
    unchangedPublished: 0,
    changedMs: [],
    changedBudget: [],
    changedPublished: 0,
  };
  const lastSynced = async (userId: string): Promise<number> => {
    const message = await jsm.streams
      .getMessage(services.topology.signalsStream, {
        last_by_subj: services.topology.wire(`signals.task.synced.${userId}`),
      })
      .catch(() => null);
    return message?.seq ?? 0;
  };
  let resyncUser: User | undefined;
  for (let round = 0; round < ROUNDS; round += 1) {
    const user = await connectedUser(services, 'sync', realisticTasks(SYNC_TASKS));
    const started = performance.now();
    // No cache, no snapshot: the call waits for the first sync, as the app's first call does.
    const answer = await tasksCall(services, user.userId, 60_000);
    figures.coldMs.push(performance.now() - started);
    figures.coldBudget.push(await budgetSpent(services, user.userId));
    if (answer.tasks.length !== SYNC_TASKS) {
      throw new Error(`cold sync answered ${answer.tasks.length} tasks, not ${SYNC_TASKS}`);
    }
    progress(`  cold sync ${round + 1}: ${Math.round(figures.coldMs.at(-1)!)} ms`);
    resyncUser = user;
  }
  const user = resyncUser!;
  const openTasks = await services.todoist.control.openTasks(user.todoistUserId);
  for (let i = 0; i < SYNC_REPEATS; i += 1) {
    for (const changed of [false, true]) {
      if (changed) {
        await services.todoist.control.updateTask(openTasks[i]!.id, {
          content: `Renamed in Todoist (${i})`,
        });
      }
      const budgetBefore = await budgetSpent(services, user.userId);
      const seqBefore = await lastSynced(user.userId);
      const ms = await timedResync(services, user.userId);
      const budget = (await budgetSpent(services, user.userId)) - budgetBefore;
      const published = (await lastSynced(user.userId)) > seqBefore ? 1 : 0;
      if (changed) {
        figures.changedMs.push(ms);
        figures.changedBudget.push(budget);
        figures.changedPublished += published;
      } else {
        figures.unchangedMs.push(ms);
        figures.unchangedBudget.push(budget);
        figures.unchangedPublished += published;
      }
    }
    progress(
      `  resync ${i + 1}: unchanged ${Math.round(figures.unchangedMs.at(-1)!)} ms, ` +
        `one changed ${Math.round(figures.changedMs.at(-1)!)} ms`,
    );
  }
  return figures;
}

/**
 * A resync as a webhook starts it: the cached set marked stale, then a call that answers it at
 * once and refreshes in the background. Timed from the call to the new set in the cache (the
 * sync's last step), polled back to back.
 */
async function timedResync(services: Services, userId: string): Promise<number> {
  const before = await services.cache.read(userId);
  await services.cache.markStale(userId);
  const started = performance.now();
  await tasksCall(services, userId);
  return withDeadline(
    (async () => {
      for (;;) {
        const entry = await services.cache.read(userId);
        if (entry && entry.syncedAt !== before?.syncedAt) return performance.now() - started;
      }
    })(),
    60_000,
    `resync of ${userId}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Warm cache

type Side = 'redis' | 'echo' | 'rpc';
const SIDES: Side[] = ['redis', 'echo', 'rpc'];

interface Scenario {
  label: string;
  userIds: string[];
  listed: number;
  kept: number;
  replyBytes: number;
  sequential: number;
  concurrent: number;
}

interface SideFigures {
  p50: number[];
  p99: number[];
  perSecond: number[];
  loadedP99: number[];
  errors: number;
}

interface WarmFigures {
  scenario: Scenario;
  sides: Record<Side, SideFigures>;
}

async function measureWarmCache(services: Services): Promise<WarmFigures[]> {
  const scenarios: Scenario[] = [];
  for (const [listed, sequential, concurrent] of [
    [50, 2_000, 10_000],
    [200, 1_000, 5_000],
    [MAX_SYNCED_TASKS, 60, 150],
  ] as const) {
    const user = await connectedUser(services, `warm${listed}`, realisticTasks(listed));
    const answer = await tasksCall(services, user.userId, 120_000);
    await keepFresh(services, user.userId);
    scenarios.push({
      label: `1 user, ${listed.toLocaleString('en-US')} tasks listed`,
      userIds: [user.userId],
      listed,
      kept: answer.tasks.length,
      replyBytes: await replyBytes(services, user.userId),
      sequential,
      concurrent,
    });
  }
  scenarios.push(await manyUsers(services, scenarios[0]!.userIds[0]!));

  const results: WarmFigures[] = [];
  for (const scenario of scenarios) {
    const budgetBefore = await budgetSpent(services, scenario.userIds[0]!);
    const senders = sendersFor(services, scenario);
    for (const side of SIDES) await concurrent(senders[side], Math.min(1_000, scenario.concurrent));
    const sides = Object.fromEntries(
      SIDES.map((side) => [side, { p50: [], p99: [], perSecond: [], loadedP99: [], errors: 0 }]),
    ) as unknown as Record<Side, SideFigures>;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const side of SIDES) {
        const one = await sequential(senders[side], scenario.sequential);
        const loaded = await concurrent(senders[side], scenario.concurrent);
        const figures = sides[side];
        figures.p50.push(percentile(one.samples, 0.5));
        figures.p99.push(percentile(one.samples, 0.99));
        figures.perSecond.push(perSecond(scenario.concurrent, loaded.elapsedMs));
        figures.loadedP99.push(percentile(loaded.samples, 0.99));
        figures.errors += one.errors + loaded.errors;
      }
      progress(
        `  ${scenario.label} round ${round + 1}: ` +
          SIDES.map(
            (side) =>
              `${side} p50 ${Math.round(sides[side].p50.at(-1)!)} µs, ${sides[side].perSecond.at(-1)}/s`,
          ).join('; '),
      );
    }
    if ((await budgetSpent(services, scenario.userIds[0]!)) !== budgetBefore) {
      throw new Error(`${scenario.label}: Todoist was called while measuring the warm cache`);
    }
    results.push({ scenario, sides });
  }
  return results;
}

/** 1,000 users, each with their own cached copy of a 50-task set (ids made their own). */
async function manyUsers(services: Services, templateUserId: string): Promise<Scenario> {
  const template = await keepFresh(services, templateUserId);
  const userIds = Array.from({ length: MANY_USERS }, (_, i) => `bench_many_${i}`);
  for (const [i, userId] of userIds.entries()) {
    const tasks: SyncedTask[] = template.tasks.map((task) => ({
      ...task,
      taskId: `${task.taskId.slice(0, 12)}${String(i).padStart(4, '0')}`,
    }));
    await services.cache.write(userId, { ...template, tasks });
  }
  return {
    label: `${MANY_USERS.toLocaleString('en-US')} users, 50 tasks each`,
    userIds,
    listed: template.tasks.length,
    kept: template.tasks.length,
    replyBytes: await replyBytes(services, userIds[0]!),
    sequential: 2_000,
    concurrent: 10_000,
  };
}

const rpcBody = (userId: string): Uint8Array =>
  encoder.encode(JSON.stringify({ pattern: 'rpc.integrations.tasks', data: { userId }, id: '1' }));

async function replyBytes(services: Services, userId: string): Promise<number> {
  const subject = services.topology.wire('rpc.integrations.tasks');
  const reply = await services.nc.request(subject, rpcBody(userId), { timeout: 10_000 });
  if (!isResponse(reply.data)) throw new Error(`rpc.integrations.tasks failed for ${userId}`);
  return reply.data.length;
}

/** Nest answers `{"response":…}` on success and `{"err":…}` on failure. */
function isResponse(data: Uint8Array): boolean {
  return decoder.decode(data.subarray(0, 11)) === '{"response"';
}

interface Sender {
  /** Sends request `i` and resolves to whether the answer was right. */
  send(i: number): Promise<boolean>;
}

function sendersFor(services: Services, scenario: Scenario): Record<Side, Sender> {
  const subject = services.topology.wire('rpc.integrations.tasks');
  const bodies = scenario.userIds.map(rpcBody);
  const keys = scenario.userIds.map(
    (userId) => `${services.topology.namespace}:${todoistKeys.tasks(userId)}`,
  );
  // Users in a scattered order, so consecutive requests do not walk the keyspace in sequence.
  const pick = (i: number): number => (i * 7919) % scenario.userIds.length;
  const echoBody = encoder.encode(String(scenario.replyBytes));
  return {
    redis: {
      send: async (i) => ((await services.redis.getBuffer(keys[pick(i)]!))?.length ?? 0) > 0,
    },
    echo: {
      send: async () =>
        (await services.nc.request(services.echoSubject, echoBody, { timeout: 10_000 })).data
          .length === scenario.replyBytes,
    },
    rpc: {
      send: async (i) =>
        isResponse((await services.nc.request(subject, bodies[pick(i)], { timeout: 10_000 })).data),
    },
  };
}

async function sequential(
  sender: Sender,
  count: number,
): Promise<{ samples: number[]; errors: number }> {
  const samples: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const ok = await sender.send(i).catch(() => false);
    if (ok) samples.push((performance.now() - started) * 1000);
    else errors += 1;
  }
  return { samples, errors };
}

/** `count` requests, IN_FLIGHT at a time; each request's latency kept. */
async function concurrent(
  sender: Sender,
  count: number,
): Promise<{ samples: number[]; errors: number; elapsedMs: number }> {
  const samples: number[] = [];
  let errors = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      const started = performance.now();
      const ok = await sender.send(i).catch(() => false);
      if (ok) samples.push((performance.now() - started) * 1000);
      else errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { samples, errors, elapsedMs: performance.now() - started };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Payload sizes against max_payload

/** What 5,000 tasks weigh as JSON, and how many `capTasks` keeps under this server's limit. */
function payloadRows(maxPayload: number): Array<Array<string | number>> {
  const limits = { maxTasks: MAX_SYNCED_TASKS, maxBytes: maxPayload - MESSAGE_OVERHEAD_BYTES };
  const task = (i: number, title: string): SyncedTask => ({
    taskId: `6X7rM8997g3R${String(i).padStart(4, '0')}`,
    title,
    priority: (i % 4) + 1,
    due: i % 3 === 0 ? '2026-12-03' : null,
    dueTimezone: null,
    addedAt: '2026-11-01T09:00:00.000000Z',
    isRecurring: false,
    url: `https://app.todoist.com/app/task/6X7rM8997g3R${String(i).padStart(4, '0')}`,
  });
  return [
    ['~60-character titles', 'x'.repeat(60)],
    ['2,000-character titles (ASCII)', 'x'.repeat(2000)],
    ['2,000-character titles (2-byte UTF-8)', 'é'.repeat(2000)],
  ].map(([label, title]) => {
    const tasks = Array.from({ length: MAX_SYNCED_TASKS }, (_, i) => task(i, title!));
    const capped = capTasks(tasks, limits);
    const keptBytes = Buffer.byteLength(JSON.stringify(capped.tasks));
    return [
      label!,
      Math.round(capped.listedBytes / 1024),
      capped.tasks.length,
      Math.round(keptBytes / 1024),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Report

function report(services: Services, warm: WarmFigures[], sync: SyncFigures): BenchReport {
  const maxPayload = services.nc.info?.max_payload ?? Number.NaN;
  const med = (values: number[]): number => Math.round(median(values));
  const warmRows = warm.flatMap(({ scenario, sides }) => {
    const name: Record<Side, string> = {
      redis: 'raw Redis GET (same value)',
      echo: 'raw NATS request (same reply size)',
      rpc: 'rpc.integrations.tasks',
    };
    return SIDES.map((side) => [
      side === 'redis'
        ? `${scenario.label} (${scenario.kept.toLocaleString('en-US')} kept, ${Math.round(scenario.replyBytes / 1024)} KB)`
        : '',
      name[side],
      med(sides[side].p50),
      med(sides[side].p99),
      med(sides[side].perSecond),
      med(sides[side].loadedP99),
      side === 'rpc' ? ratio(median(sides.rpc.p50), median(sides.echo.p50)) : '',
      side === 'rpc' ? ratio(median(sides.rpc.perSecond), median(sides.echo.perSecond)) : '',
      sides[side].errors,
    ]);
  });
  const syncRow = (label: string, ms: number[], budget: number[], published: string) => [
    label,
    med(ms),
    Math.round(Math.min(...ms)),
    Math.round(Math.max(...ms)),
    med(budget),
    published,
  ];
  const tables: Table[] = [
    {
      title: `rpc.integrations.tasks from a warm cache vs its floors (medians of ${ROUNDS} rounds)`,
      columns: [
        'cached set',
        'side',
        'p50 µs, 1 in flight',
        'p99 µs, 1 in flight',
        `req/s, ${IN_FLIGHT} in flight`,
        `p99 µs, ${IN_FLIGHT} in flight`,
        'p50 ÷ NATS',
        'req/s ÷ NATS',
        'errors',
      ],
      rows: warmRows,
    },
    {
      title: `Sync of ${SYNC_TASKS.toLocaleString('en-US')} tasks from the local Todoist (5 pages of 200)`,
      columns: ['sync', 'ms (median)', 'min', 'max', 'budget requests', 'task.synced published'],
      rows: [
        syncRow(`cold, first call waits (${ROUNDS} users)`, sync.coldMs, sync.coldBudget, 'yes'),
        syncRow(
          `resync, nothing changed (${SYNC_REPEATS}×)`,
          sync.unchangedMs,
          sync.unchangedBudget,
          `${sync.unchangedPublished} of ${SYNC_REPEATS}`,
        ),
        syncRow(
          `resync, one task renamed (${SYNC_REPEATS}×)`,
          sync.changedMs,
          sync.changedBudget,
          `${sync.changedPublished} of ${SYNC_REPEATS}`,
        ),
      ],
    },
    {
      title: `5,000 tasks against NATS max_payload (${maxPayload.toLocaleString('en-US')} bytes, less ${MESSAGE_OVERHEAD_BYTES.toLocaleString('en-US')} for envelope/reply)`,
      columns: ['titles', 'JSON of 5,000 (KB)', 'tasks kept', 'JSON kept (KB)'],
      rows: payloadRows(maxPayload),
    },
  ];
  return {
    tables,
    notes: [
      `Warm cache: the RPC side is Nest's {pattern, data, id} body sent with nc.request (no client-side validation); the service reads the Redis entry, JSON.parse, replies JSON. The Redis floor is a GET (as a Buffer) of the same key from the bench process; the NATS floor is a process answering a reply of the RPC's reply size. Requests per side and round, 1 / ${IN_FLIGHT} in flight: ${warm.map(({ scenario }) => `${scenario.sequential.toLocaleString('en-US')} / ${scenario.concurrent.toLocaleString('en-US')}`).join(', ')} (in table order). The 1,000-user set cycles through the users in a scattered order. No Todoist request was made while measuring (the user's budget did not move).`,
      'Sync: cold = the first rpc.integrations.tasks of a newly connected user, which waits for the sync (5 × GET /tasks, normalise, digest, task.synced published to JetStream, snapshot upserted to Postgres, Redis cache written). Resync = cache marked stale (what a webhook does), one call, then timed until the new set is in the cache. Budget requests = entries in the user’s sliding-window budget in Redis after the sync (cold) or added by it (resync).',
      '2 cores shared by the bench client, the integrations service, the local Todoist, the echo process, NATS, Redis and Postgres — and, when measured, other work on the machine.',
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Processes
