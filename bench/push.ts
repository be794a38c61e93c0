/**
 * The notifier's push path at 10,000 subscribed users (issue 12): how many push decisions and
 * sends one notifier instance makes per second, next to the floors of what each look is made of,
 * measured in the same run.
 *
 * Set-up, on the real NATS, Redis and Postgres in a namespace and a scratch database of their own:
 * - the local push service (libs/local-push) as a process: it checks each message's VAPID JWT and
 *   decrypts it (RFC 8291) with the device's private key, as a browser would;
 * - the stand-ins for `rpc.recommender.recommend` and `rpc.profile.get` as a process
 *   (bench/push-stand-ins.ts): the recommender answers at once with the user's one task, so what
 *   is measured is the notifier's own capacity, not the recommender's;
 * - one notifier, in this process, built by its own `createApp` (as its tests do), its timer off;
 * - BENCH_PUSH_USERS (10,000) users, each with push on, a time zone of six, quiet hours 8–14 h
 *   after the bench's start on their own clock, and one device: a subscription made at the local
 *   push service (bound to the notifier's VAPID key) and registered with `rpc.notifier.subscribe`.
 *   Settings arrive the way profile sends them, as `signals.profile.updated` events, before the
 *   devices; the consumer and the subscribe both put the user in `push_schedule`, due now.
 *
 * Measured:
 * - pass 1: `PushScheduler.runDue(() => T)` with T = the clock after set-up (the scheduler reads
 *   its clock for every batch and look; here it stands still), every user due: per look
 *   devices + settings (Postgres) → rules (Redis) → deciding lock → `rpc.recommender.recommend` →
 *   atomic claim (Lua) → payload, RFC 8291 encryption (web-push) with the cached VAPID header →
 *   `fetch` POST to the local push service → delivery log row, device marked → `signals.push.sent`
 *   (JetStream, acked) → next look scheduled. Each look is timed by wrapping
 *   `PushDecider.consider` on the instance (two `performance.now()` per look). Checked: every
 *   look `sent`, the local push service decrypted exactly one message per device and each payload
 *   is exactly `tipNotification` of the tip logged for that user, with the expected TTL, Urgency,
 *   Topic and VAPID key; one delivery log row and one `push.sent` per user; one recommend call per
 *   user and no `rpc.profile.get`.
 * - pass 2: every user made due again (`UPDATE push_schedule`), at T + 30 min: each look
 *   stops at the minimum interval (the cheap path). Checked: every look `interval`, no
 *   recommend call, no message.
 * - floors: web-push's `generateRequestDetails` per payload with a ready Authorization header (as
 *   `PushSender` calls it), with `vapidDetails` (signing each time), and the signing alone; raw
 *   POSTs of bodies encrypted beforehand to the local push service (its own devices, not the
 *   users'), with `fetch` as `PushSender` sends and with `node:http`; a raw NATS request/reply echo (bench/support/echo-server.ts, a process) with a
 *   recommend-sized body; a raw Redis GET; a raw Postgres select of a user's devices through `pg`.
 * - CPU per look by process (/proc): this process (the notifier), the local push service, the
 *   stand-ins, nats-server, redis-server and every postgres process; and the requests per look,
 *   counted in this process (Postgres queries, Redis commands, NATS messages out).
 *
 * Env: BENCH_PUSH_USERS (10,000), BENCH_PUSH_FLOOR_OPS (2,000 per floor; echo, Redis and
 * Postgres at 32 in flight take 5×), BENCH_PUSH_CPU_PROFILE=<file.cpuprofile>: a V8 CPU profile
 * of this process (the notifier) during pass 1, written there (the profiler slows the pass).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AckPolicy, DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { RPC } from '@oo/contracts';
import { createTestDatabase } from '@oo/database';
import type { CreatedSubscription } from '@oo/local-push';
import { policyRegistry } from '@oo/learning';
import { EventPublisher, RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  freePort,
  startLocalPushProcess,
  startTsProcess,
  type LocalPushProcess,
  type RunningProcess,
} from '@oo/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import webpush from 'web-push';
import { createApp } from '../services/notifier/src/app.factory.js';
import { loadNotifierEnv, type NotifierEnv } from '../services/notifier/src/config/env.js';
import type { Consideration } from '../services/notifier/src/scheduling/push-decider.js';
import { PushDecider } from '../services/notifier/src/scheduling/push-decider.js';
import { PushScheduler } from '../services/notifier/src/scheduling/push-scheduler.js';
import { isQuietAt } from '../services/notifier/src/scheduling/local-time.js';
import {
  tipNotification,
  topicFor,
  urgencyOf,
} from '../services/notifier/src/sending/push-payload.js';
import { VapidSigner } from '../services/notifier/src/sending/vapid-signer.js';
import { endpointHash } from '../services/notifier/src/subscriptions/push-endpoint.js';
import {
  type BenchReport,
  type Cell,
  inParallel,
  positiveInt,
  progress,
  perSecond,
  withDeadline,
} from './harness.js';
import { pushTip, pushUserId, pushUserTasks, type PushUserTask } from './push-users.js';
import { openBenchNamespace, startEcho, stopProcess } from './support/bench-infra.js';
import { summarize } from './support/load.js';
import { cpuMs, sampleCpu, type CpuSample } from './support/process-cpu.js';

const USERS = positiveInt(process.env['BENCH_PUSH_USERS'], 10_000);
const FLOOR_OPS = positiveInt(process.env['BENCH_PUSH_FLOOR_OPS'], 2_000);
/** PushScheduler's looks in flight (its CONCURRENCY): the floors' load is the same. */
const IN_FLIGHT = 32;
const SETUP_PARALLEL = 32;
/** Devices at the local push service for the raw POST floor only. */
const FLOOR_DEVICES = 100;
const SECOND_PASS_AFTER_MS = 30 * 60_000;
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Australia/Sydney',
  'America/Sao_Paulo',
];
const VAPID_SUBJECT = 'mailto:bench@oo.example';
const TTL_SECONDS = 4 * 3600;
const MIN_INTERVAL_MINUTES = 120;
const LIVE = policyRegistry.live().name;
const PROFILE_FILE = process.env['BENCH_PUSH_CPU_PROFILE'];

interface BenchUser {
  index: number;
  userId: string;
  timeZone: string;
  quietHours: { start: string; end: string };
  task: PushUserTask;
  device: CreatedSubscription;
}

interface Processes {
  push: LocalPushProcess;
  standIns: RunningProcess;
  echo: RunningProcess;
}

/** What wrapping `PushDecider.consider` records: each look's time and how many ran at once. */
interface LookRecorder {
  samples: number[];
  /** ∫ looks in flight dt (ms), for the mean concurrency. */
  area: number;
  reset(): void;
}

/** One row of the main table. */
interface Row {
  measure: string;
  ops: number;
  wallMs: number;
  p50Us: number;
  p99Us: number;
  checked: string;
}

interface PassFigures {
  row: Row;
  meanInFlight: number;
  cpu: CpuSample;
  outcomes: Map<string, number>;
  /** Per look, counted in this process. */
  roundTrips: RoundTrips;
}

/** Requests the notifier made, counted in this process. */
interface RoundTrips {
  postgres: number;
  redis: number;
  natsOut: number;
}

/** Benchmark entry. */
export async function pushBench(): Promise<BenchReport> {
  const load = [loadavg()[0]!];
  const started = new Date();
  const space = await openBenchNamespace('push');
  const { natsUrl, redisUrl, topology, nc } = space;
  const database = await createTestDatabase({ services: ['notifier'] });
  const sql = new pg.Client({ connectionString: database.url });
  const children: RunningProcess[] = [];
  let notifier: ServiceApp | undefined;
  let pool: pg.Pool | undefined;
  try {
    await sql.connect();
    progress(`${elapsed()} starting the local push service, the stand-ins and the echo…`);
    const push = await startLocalPushProcess();
    children.push(push.process);
    const standIns = await startStandIns(natsUrl, topology.namespace);
    children.push(standIns);
    const echoSubject = topology.wire('bench.push.echo');
    const echo = await startEcho(natsUrl, echoSubject);
    children.push(echo);
    const processes: Processes = { push, standIns, echo };

    const keys = webpush.generateVAPIDKeys();
    const env = loadNotifierEnv({
      NATS_URL: natsUrl,
      REDIS_URL: redisUrl,
      DATABASE_URL: database.url,
      OO_NAMESPACE: topology.namespace,
      OO_ENV: 'test',
      LOG_LEVEL: 'error',
      PORT: String(await freePort()),
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
      VAPID_SUBJECT,
      PUSH_TTL_SECONDS: String(TTL_SECONDS),
      PUSH_MIN_INTERVAL_MINUTES: String(MIN_INTERVAL_MINUTES),
      // The timer stays off: the bench runs the passes with its own clock.
      NOTIFIER_SCHEDULER_INTERVAL_SECONDS: '3600',
    });
    notifier = await createApp(env);
    await notifier.start();
    const scheduler = notifier.app.get(PushScheduler);
    const recorder = recordLooks(notifier.app.get(PushDecider));
    const roundTrips = countRoundTrips(notifier);

    const setupNotes: string[] = [];
    const users = await setUpUsers(space, push, started, setupNotes, sql);
    const floorDevices = await inParallel(FLOOR_DEVICES, SETUP_PARALLEL, () =>
      push.control.createSubscription({ applicationServerKey: keys.publicKey }),
    );
    load.push(loadavg()[0]!);

    progress(`${elapsed()} floors…`);
    const floorRows: Row[] = [];
    floorRows.push(...encryptionFloors(users, env));
    const postFloor = await httpPostFloor(floorDevices, env, processes);
    floorRows.push(postFloor.fetch.row, postFloor.http.row);
    pool = new pg.Pool({ connectionString: database.url, max: 10 });
    floorRows.push(...(await roundTripFloors(space, echoSubject, pool, users)));

    const first = new Date();
    const second = new Date(first.getTime() + SECOND_PASS_AFTER_MS);
    const quiet = users.filter(
      (user) =>
        isQuietAt(first, user.quietHours, user.timeZone) ||
        isQuietAt(second, user.quietHours, user.timeZone),
    ).length;

    progress(`${elapsed()} pass 1: runDue over ${USERS.toLocaleString('en-US')} due users…`);
    const pass1 = await profiled(PROFILE_FILE, () =>
      runPass(scheduler, recorder, roundTrips, first, processes),
    );
    pass1.row.measure = `pass 1: \`runDue(T)\`, every user due → a push each`;
    pass1.row.checked = await checkFirstPass(space, push, sql, users, first, pass1, keys.publicKey);

    progress(`${elapsed()} pass 2: runDue 30 min later, every user inside the interval…`);
    const messagesBefore = (await push.control.attempts()).length;
    const recommendsBefore = await standInCounts(space);
    await sql.query('UPDATE notifier.push_schedule SET due_at = $1', [first]);
    const pass2 = await runPass(scheduler, recorder, roundTrips, second, processes);
    pass2.row.measure = `pass 2: \`runDue(T + 30 min)\`, every user inside the ${MIN_INTERVAL_MINUTES}-min interval`;
    pass2.row.checked = await checkSecondPass(
      space,
      push,
      sql,
      first,
      pass2,
      messagesBefore,
      recommendsBefore.recommend,
    );
    load.push(loadavg()[0]!);

    return report({
      started,
      users: users.length,
      quiet,
      passes: [pass1, pass2],
      floorRows,
      postCpu: { fetch: postFloor.fetch.cpu, http: postFloor.http.cpu },
      setupNotes,
      load,
      natsVersion: nc.info?.version ?? '?',
    });
  } finally {
    await notifier?.stop();
    for (const child of [...children].reverse()) await stopProcess(child);
    await pool?.end();
    await sql.end();
    await space.remove();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------
// Set-up

/** The stand-in recommender and profile (bench/push-stand-ins.ts), ready to answer. */
async function startStandIns(natsUrl: string, namespace: string): Promise<RunningProcess> {
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const child = startTsProcess(
    'bench/push-stand-ins.ts',
    { NATS_URL: natsUrl, OO_NAMESPACE: namespace, PUSH_USERS: String(USERS) },
    {
      onLine: (line) =>
        line === 'stand-ins ready' ? markReady() : progress(`  [stand-ins] ${line}`),
    },
  );
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`the stand-ins exited (${code}) before they were ready:\n${child.output()}`);
  });
  try {
    await withDeadline(Promise.race([ready, exitedEarly]), 60_000, 'stand-ins start');
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return child;
}

/** The hour (0–23) on the clock of `timeZone` at `instant`. */
function localHour(instant: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
    .formatToParts(instant)
    .find((part) => part.type === 'hour')!.value;
  return Number(hour);
}

const clock = (hour: number): string => `${String(hour % 24).padStart(2, '0')}:00`;

/**
 * Every user's settings by `signals.profile.updated` (waited for until the notifier holds them
 * all), then a device each: made at the local push service, registered by `rpc.notifier.subscribe`.
 */
async function setUpUsers(
  space: Awaited<ReturnType<typeof openBenchNamespace>>,
  push: LocalPushProcess,
  started: Date,
  notes: string[],
  sql: pg.Client,
): Promise<BenchUser[]> {
  const tasks = pushUserTasks(USERS);
  const plans = tasks.map((task, index) => {
    const timeZone = ZONES[index % ZONES.length]!;
    const hour = localHour(started, timeZone);
    return {
      index,
      userId: pushUserId(index),
      timeZone,
      quietHours: { start: clock(hour + 8), end: clock(hour + 14) },
      task,
    };
  });

  progress(`${elapsed()} ${USERS.toLocaleString('en-US')} × signals.profile.updated…`);
  const publisher = new EventPublisher(jetstream(space.nc), space.topology);
  let t0 = performance.now();
  await inParallel(plans.length, 64, async (i) => {
    const plan = plans[i]!;
    await publisher.publish('profile.updated', plan.userId, {
      timezone: plan.timeZone,
      quietHours: plan.quietHours,
      push: { enabled: true },
      updatedAt: new Date().toISOString(),
    });
  });
  const publishedMs = performance.now() - t0;
  await withDeadline(
    (async () => {
      for (;;) {
        const { rows } = await sql.query<{ n: string }>(
          'SELECT count(*) AS n FROM notifier.push_settings WHERE push_enabled',
        );
        if (Number(rows[0]!.n) === USERS) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })(),
    120_000,
    'the notifier taking every profile.updated',
  );
  const settingsMs = performance.now() - t0;
  notes.push(
    `Settings: ${USERS.toLocaleString('en-US')} signals.profile.updated published in ${seconds(publishedMs)} s (64 in flight), all in push_settings after ${seconds(settingsMs)} s (${perSecond(USERS, settingsMs).toLocaleString('en-US')} events/s through the notifier's consumer).`,
  );

  progress(
    `${elapsed()} ${USERS.toLocaleString('en-US')} subscriptions at the local push service…`,
  );
  const { publicKey } = await new RpcClient(space.nc, space.topology).call(
    RPC.notifier.vapidPublicKey,
    {},
    5_000,
  );
  t0 = performance.now();
  const devices = await inParallel(plans.length, SETUP_PARALLEL, () =>
    push.control.createSubscription({ applicationServerKey: publicKey }),
  );
  const createdMs = performance.now() - t0;

  progress(`${elapsed()} ${USERS.toLocaleString('en-US')} × rpc.notifier.subscribe…`);
  const rpc = new RpcClient(space.nc, space.topology);
  t0 = performance.now();
  let wrongHashes = 0;
  await inParallel(plans.length, SETUP_PARALLEL, async (i) => {
    const { subscription } = devices[i]!;
    const answer = await rpc.call(
      RPC.notifier.subscribe,
      { userId: plans[i]!.userId, subscription },
      10_000,
    );
    if (answer.endpointHash !== endpointHash(subscription.endpoint)) wrongHashes += 1;
  });
  const subscribedMs = performance.now() - t0;
  const { rows } = await sql.query<{ n: string }>(
    'SELECT count(*) AS n FROM notifier.push_schedule WHERE due_at <= now()',
  );
  notes.push(
    `Devices: ${USERS.toLocaleString('en-US')} subscriptions made at the local push service in ${seconds(createdMs)} s, registered through rpc.notifier.subscribe in ${seconds(subscribedMs)} s (${perSecond(USERS, subscribedMs).toLocaleString('en-US')}/s, ${SETUP_PARALLEL} in flight; ${wrongHashes} wrong endpoint hashes); ${Number(rows[0]!.n).toLocaleString('en-US')} users due in push_schedule afterwards.`,
  );
  return plans.map((plan, i) => ({ ...plan, device: devices[i]! }));
}

// ---------------------------------------------------------------------------------------------
// The passes

/** Wraps the decider's `consider` on this instance: the scheduler calls the wrapper. */
function recordLooks(decider: PushDecider): LookRecorder {
  const consider = decider.consider.bind(decider);
  let inFlight = 0;
  let last = performance.now();
  const recorder: LookRecorder = {
    samples: [],
    area: 0,
    reset() {
      recorder.samples = [];
      recorder.area = 0;
      last = performance.now();
    },
  };
  const step = (delta: number): void => {
    const now = performance.now();
    recorder.area += inFlight * (now - last);
    last = now;
    inFlight += delta;
  };
  decider.consider = async (userId: string, now?: Date): Promise<Consideration> => {
    const begun = performance.now();
    step(1);
    try {
      return await consider(userId, now);
    } finally {
      step(-1);
      recorder.samples.push((performance.now() - begun) * 1000);
    }
  };
  return recorder;
}

async function runPass(
  scheduler: PushScheduler,
  recorder: LookRecorder,
  roundTrips: () => RoundTrips,
  now: Date,
  processes: Processes,
): Promise<PassFigures> {
  const named = cpuProcesses(processes);
  const infraBefore = infraSample();
  const before = sampleCpu(named);
  const tripsBefore = roundTrips();
  recorder.reset();
  const t0 = performance.now();
  const result = await scheduler.runDue(() => now);
  const wallMs = performance.now() - t0;
  const after = sampleCpu(named);
  const infraAfter = infraSample();
  const tripsAfter = roundTrips();
  const outcomes = new Map<string, number>();
  for (const outcome of result.values()) count(outcomes, outcome);
  const latency = summarize(recorder.samples);
  return {
    row: {
      measure: '',
      ops: result.size,
      wallMs,
      p50Us: latency.p50,
      p99Us: latency.p99,
      checked: '',
    },
    meanInFlight: recorder.area / wallMs,
    cpu: perOp(
      { ...before, ...infraBefore.totals },
      cpuAfter(after, infraBefore, infraAfter),
      result.size,
    ),
    outcomes,
    roundTrips: {
      postgres: (tripsAfter.postgres - tripsBefore.postgres) / result.size,
      redis: (tripsAfter.redis - tripsBefore.redis) / result.size,
      natsOut: (tripsAfter.natsOut - tripsBefore.natsOut) / result.size,
    },
  };
}

/**
 * Counts what the notifier sends: Postgres queries (every `pg.Client#query` of this process:
 * Prisma's adapter goes through it, and nothing else of the bench queries during a pass), Redis
 * commands (`sendCommand` of the notifier's client; a Lua script is one) and NATS messages out
 * (its connection's stats: requests and publishes).
 */
function countRoundTrips(notifier: ServiceApp): () => RoundTrips {
  let postgres = 0;
  let redis = 0;
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    postgres += 1;
    return query.apply(this, args);
  };
  const commands = notifier.app.get<Redis, { sendCommand: (...args: unknown[]) => unknown }>(Redis);
  const send = commands.sendCommand.bind(commands);
  commands.sendCommand = (...args: unknown[]) => {
    redis += 1;
    return send(...args);
  };
  return () => ({ postgres, redis, natsOut: notifier.nc.stats().outMsgs });
}

// ---------------------------------------------------------------------------------------------
// Checks: what the figures are worth

interface DeliveryRow {
  user_id: string;
  tip_id: string;
  outcome: string;
  status_code: number | null;
  attempt: number;
}

async function checkFirstPass(
  space: Awaited<ReturnType<typeof openBenchNamespace>>,
  push: LocalPushProcess,
  sql: pg.Client,
  users: BenchUser[],
  now: Date,
  pass: PassFigures,
  vapidPublicKey: string,
): Promise<string> {
  const problems: string[] = [];
  const sent = pass.outcomes.get('sent') ?? 0;
  if (sent !== users.length) problems.push(`outcomes ${describe(pass.outcomes)}`);

  const { rows } = await sql.query<DeliveryRow>(
    'SELECT user_id, tip_id, outcome, status_code, attempt FROM notifier.push_delivery',
  );
  const logged = new Map<string, DeliveryRow>();
  let badRows = 0;
  for (const row of rows) {
    if (logged.has(row.user_id) || row.outcome !== 'sent' || row.status_code !== 201) badRows += 1;
    logged.set(row.user_id, row);
  }
  if (rows.length !== users.length || badRows > 0) {
    problems.push(`${rows.length} delivery log rows, ${badRows} not one 'sent' 201 per user`);
  }

  const byDevice = new Map(users.map((user) => [user.device.id, user]));
  const messages = (await push.control.delivered()).filter((m) => byDevice.has(m.subscriptionId));
  const attempts = (await push.control.attempts()).filter((a) => byDevice.has(a.subscriptionId));
  const seen = new Set<string>();
  let wrong = 0;
  for (const message of messages) {
    const user = byDevice.get(message.subscriptionId)!;
    const row = logged.get(user.userId);
    const tip = pushTip(user.task, LIVE, now.toISOString(), row?.tip_id);
    const exact =
      !seen.has(user.device.id) &&
      row !== undefined &&
      message.payload === tipNotification(tip, now, user.timeZone) &&
      message.ttl === TTL_SECONDS &&
      message.urgency === urgencyOf(tip, now, user.timeZone) &&
      message.topic === topicFor(user.userId) &&
      message.vapid.publicKey === vapidPublicKey &&
      message.vapid.sub === VAPID_SUBJECT;
    if (!exact) wrong += 1;
    seen.add(user.device.id);
  }
  const refused = attempts.filter((attempt) => attempt.status !== 201).length;
  if (messages.length !== users.length || seen.size !== users.length || wrong > 0) {
    problems.push(
      `local push: ${messages.length} messages to ${seen.size} devices, ${wrong} not as expected`,
    );
  }
  if (attempts.length !== users.length || refused > 0) {
    problems.push(`local push: ${attempts.length} requests, ${refused} refused`);
  }

  const pushSent = await countSignals(space, 'signals.push.sent.>');
  if (pushSent !== users.length) problems.push(`${pushSent} push.sent`);
  const calls = await standInCounts(space);
  if (calls.recommend !== users.length || calls.profile !== 0) {
    problems.push(`${calls.recommend} recommend and ${calls.profile} profile.get calls`);
  }
  return problems.length
    ? `✗ ${problems.join('; ')}`
    : `✓ ${sent.toLocaleString('en-US')} sent; the local push service decrypted ${messages.length.toLocaleString('en-US')}, one per device, each payload exact; ${rows.length.toLocaleString('en-US')} log rows; ${pushSent.toLocaleString('en-US')} push.sent; ${calls.recommend.toLocaleString('en-US')} recommend calls, 0 profile.get`;
}

async function checkSecondPass(
  space: Awaited<ReturnType<typeof openBenchNamespace>>,
  push: LocalPushProcess,
  sql: pg.Client,
  first: Date,
  pass: PassFigures,
  messagesBefore: number,
  recommendsBefore: number,
): Promise<string> {
  const problems: string[] = [];
  const interval = pass.outcomes.get('interval') ?? 0;
  if (interval !== USERS) problems.push(`outcomes ${describe(pass.outcomes)}`);
  const messages = (await push.control.attempts()).length - messagesBefore;
  if (messages !== 0) problems.push(`${messages} requests to the local push service`);
  const recommends = (await standInCounts(space)).recommend - recommendsBefore;
  if (recommends !== 0) problems.push(`${recommends} recommend calls`);
  const nextLook = new Date(first.getTime() + MIN_INTERVAL_MINUTES * 60_000);
  const { rows } = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM notifier.push_schedule
      WHERE due_at = $1 AND reason = 'interval' AND claimed_until IS NULL`,
    [nextLook],
  );
  const rescheduled = Number(rows[0]!.n);
  if (rescheduled !== USERS)
    problems.push(`${rescheduled} rescheduled to T + ${MIN_INTERVAL_MINUTES} min`);
  return problems.length
    ? `✗ ${problems.join('; ')}`
    : `✓ ${interval.toLocaleString('en-US')} × interval, each due again at T + ${MIN_INTERVAL_MINUTES} min; no recommend call, no message`;
}

/** Events on a SIGNALS subject (wildcards allowed), from a consumer's pending count. */
async function countSignals(
  space: Awaited<ReturnType<typeof openBenchNamespace>>,
  subject: string,
): Promise<number> {
  const stream = space.topology.signalsStream;
  const info = await space.jsm.consumers.add(stream, {
    filter_subject: space.topology.wire(subject),
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
  });
  await space.jsm.consumers.delete(stream, info.name);
  return info.num_pending;
}

async function standInCounts(
  space: Awaited<ReturnType<typeof openBenchNamespace>>,
): Promise<{ recommend: number; profile: number }> {
  const reply = await space.nc.request(space.topology.wire('bench.push.stand-ins.counts'), '', {
    timeout: 5_000,
  });
  return reply.json<{ recommend: number; profile: number }>();
}

// ---------------------------------------------------------------------------------------------
// Floors

/** A payload and its options, as `TipPush` builds them for a user at the first pass's time. */
function pushRequestOf(user: BenchUser, now: Date) {
  const tip = pushTip(user.task, LIVE, now.toISOString());
  return {
    subscription: {
      endpoint: user.device.subscription.endpoint,
      keys: user.device.subscription.keys,
    },
    payload: tipNotification(tip, now, user.timeZone),
    options: {
      TTL: TTL_SECONDS,
      urgency: urgencyOf(tip, now, user.timeZone),
      topic: topicFor(user.userId),
      contentEncoding: 'aes128gcm' as const,
    },
  };
}

/** Times `op` `count` times in a row (after a warm-up of 200): one thread, CPU only. */
function timeEach(label: string, count: number, op: (i: number) => void): Row {
  for (let i = 0; i < 200; i += 1) op(i);
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) {
    const begun = performance.now();
    op(i);
    samples.push((performance.now() - begun) * 1000);
  }
  const wallMs = performance.now() - t0;
  const { p50, p99 } = summarize(samples);
  return {
    measure: label,
    ops: count,
    wallMs,
    p50Us: p50,
    p99Us: p99,
    checked: `${((wallMs * 1000) / count).toFixed(0)} µs/op mean, 1 thread`,
  };
}

function encryptionFloors(users: BenchUser[], env: NotifierEnv): Row[] {
  const now = new Date();
  const requests = users.slice(0, FLOOR_OPS).map((user) => pushRequestOf(user, now));
  const at = (i: number) => requests[i % requests.length]!;
  const authorization = new VapidSigner({
    subject: env.VAPID_SUBJECT,
    publicKey: env.VAPID_PUBLIC_KEY,
    privateKey: env.VAPID_PRIVATE_KEY,
  }).authorization(requests[0]!.subscription.endpoint);
  const vapidDetails = {
    subject: env.VAPID_SUBJECT,
    publicKey: env.VAPID_PUBLIC_KEY,
    privateKey: env.VAPID_PRIVATE_KEY,
  };
  const audience = new URL(requests[0]!.subscription.endpoint).origin;
  return [
    timeEach(
      'floor: `generateRequestDetails` per payload, cached VAPID header (as `PushSender`)',
      FLOOR_OPS,
      (i) => {
        const { subscription, payload, options } = at(i);
        webpush.generateRequestDetails(subscription, payload, {
          ...options,
          headers: { Authorization: authorization },
        });
      },
    ),
    timeEach('floor: the same with `vapidDetails` (ES256 signing each time)', FLOOR_OPS, (i) => {
      const { subscription, payload, options } = at(i);
      webpush.generateRequestDetails(subscription, payload, { ...options, vapidDetails });
    }),
    timeEach('floor: VAPID signing alone (`getVapidHeaders`)', FLOOR_OPS, () => {
      webpush.getVapidHeaders(
        audience,
        vapidDetails.subject,
        vapidDetails.publicKey,
        vapidDetails.privateKey,
        'aes128gcm',
        Math.floor(Date.now() / 1000) + 12 * 3600,
      );
    }),
  ];
}

/**
 * Bodies encrypted beforehand for the floor's own devices, POSTed IN_FLIGHT at a time with
 * `fetch` as `PushSender` does, then with `node:http` over a keep-alive agent: the transport and
 * the push service's own work (VAPID check, decryption), nothing of the notifier's.
 */
async function httpPostFloor(
  devices: CreatedSubscription[],
  env: NotifierEnv,
  processes: Processes,
): Promise<Record<'fetch' | 'http', { row: Row; cpu: CpuSample }>> {
  const signer = new VapidSigner({
    subject: env.VAPID_SUBJECT,
    publicKey: env.VAPID_PUBLIC_KEY,
    privateKey: env.VAPID_PRIVATE_KEY,
  });
  const payload = JSON.stringify({
    v: 1,
    tipId: '00000000-0000-4000-8000-000000000000',
    title: 'Reply to Anna about the quarterly budget review (1)',
    body: 'P1 · Due today',
    url: '/?tip=00000000-0000-4000-8000-000000000000',
  });
  const requests = Array.from({ length: FLOOR_OPS }, (_, i) => {
    const { subscription } = devices[i % devices.length]!;
    const details = webpush.generateRequestDetails(subscription, payload, {
      TTL: TTL_SECONDS,
      urgency: 'normal',
      topic: topicFor(`floor_${i % devices.length}`),
      contentEncoding: 'aes128gcm',
      headers: { Authorization: signer.authorization(subscription.endpoint) },
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) {
      if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
    }
    return { url: subscription.endpoint, headers, body: details.body };
  });
  const viaFetch = async (i: number): Promise<boolean> => {
    const { url, headers, body } = requests[i]!;
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.text();
    return response.status === 201;
  };
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const viaHttp = (i: number): Promise<boolean> => {
    const { url, headers, body } = requests[i]!;
    return new Promise((resolve, reject) => {
      const call = request(url, { method: 'POST', headers, agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 201));
        response.on('error', reject);
      });
      call.on('error', reject);
      call.end(body);
    });
  };
  const measure = async (label: string, post: (i: number) => Promise<boolean>) => {
    // Warm-up: connections opened, both sides' code compiled.
    await timedLoop(Math.min(200, FLOOR_OPS), IN_FLIGHT, post);
    const named = cpuProcesses(processes);
    const before = sampleCpu(named);
    const run = await timedLoop(FLOOR_OPS, IN_FLIGHT, post);
    const cpu = perOp(before, sampleCpu(named), FLOOR_OPS);
    const { p50, p99 } = summarize(run.samples);
    const row: Row = {
      measure: `floor: raw ${label} POST of an encrypted body to the local push service, ${IN_FLIGHT} in flight`,
      ops: FLOOR_OPS,
      wallMs: run.elapsedMs,
      p50Us: p50,
      p99Us: p99,
      checked: run.errors
        ? `✗ ${run.errors} not 201`
        : `✓ ${FLOOR_OPS.toLocaleString('en-US')} × 201 (+ ${Math.min(200, FLOOR_OPS)} warm-up), each decrypted`,
    };
    return { row, cpu };
  };
  try {
    return {
      fetch: await measure('`fetch`', viaFetch),
      http: await measure('`node:http` (keep-alive agent)', viaHttp),
    };
  } finally {
    agent.destroy();
  }
}

/** The usual floors: NATS request/reply to the echo process, Redis GET, and a Postgres select. */
async function roundTripFloors(
  space: Awaited<ReturnType<typeof openBenchNamespace>>,
  echoSubject: string,
  pool: pg.Pool,
  users: BenchUser[],
): Promise<Row[]> {
  // A recommend request as the notifier sends it (Nest's wire format).
  const echoBody = new TextEncoder().encode(
    JSON.stringify({
      pattern: RPC.recommender.recommend,
      data: {
        userId: users[0]!.userId,
        channel: 'push',
        now: new Date().toISOString(),
        excludeTaskIds: [],
      },
      id: `${process.pid}-1`,
    }),
  );
  const redisKey = `${space.topology.namespace}:bench:floor`;
  await space.redis.set(redisKey, `${Date.now()}:1`);
  const pick = (i: number): string => users[(i * 7919) % users.length]!.userId;
  const sides: Array<[string, (i: number) => Promise<boolean>]> = [
    [
      `raw NATS request/reply (echo process, ${echoBody.length} B)`,
      async () =>
        (await space.nc.request(echoSubject, echoBody, { timeout: 5_000 })).data.length ===
        echoBody.length,
    ],
    ['raw Redis GET', async () => (await space.redis.get(redisKey)) !== null],
    [
      'raw Postgres select of a user’s devices (`pg`, pool of 10)',
      async (i) =>
        (await pool.query('SELECT * FROM notifier.push_subscription WHERE user_id = $1', [pick(i)]))
          .rowCount === 1,
    ],
  ];
  const rows: Row[] = [];
  for (const [label, send] of sides) {
    await timedLoop(200, IN_FLIGHT, send);
    for (const inFlight of [1, IN_FLIGHT]) {
      const total = inFlight === 1 ? FLOOR_OPS : FLOOR_OPS * 5;
      const run = await timedLoop(total, inFlight, send);
      const { p50, p99 } = summarize(run.samples);
      rows.push({
        measure: `floor: ${label}, ${inFlight} in flight`,
        ops: total,
        wallMs: run.elapsedMs,
        p50Us: p50,
        p99Us: p99,
        checked: run.errors ? `✗ ${run.errors} errors` : '✓',
      });
    }
  }
  return rows;
}

/** `work`, under the V8 profiler when `file` is set (the profile written there). */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    progress(`  CPU profile of pass 1 written to ${file}`);
  }
}

/** `count` operations, `inFlight` at a time; each one's latency (µs) kept. */
async function timedLoop(
  total: number,
  inFlight: number,
  send: (i: number) => Promise<boolean>,
): Promise<{ samples: number[]; errors: number; elapsedMs: number }> {
  const samples: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next;
        next += 1;
        const begun = performance.now();
        const ok = await send(i).catch(() => false);
        if (ok) samples.push((performance.now() - begun) * 1000);
        else errors += 1;
      }
    }),
  );
  return { samples, errors, elapsedMs: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------
// CPU by process

/** The shared infrastructure, by its command name in /proc/<pid>/comm. */
const INFRA = { NATS: 'nats-server', Redis: 'redis-server', Postgres: 'postgres' } as const;
type InfraName = keyof typeof INFRA;

interface InfraSample {
  /** CPU ms by pid, per infrastructure process kind. */
  pids: Record<InfraName, Map<number, number>>;
  totals: Record<InfraName, number>;
}

/** CPU ms so far of every nats-server, redis-server and postgres process on the machine. */
function infraSample(): InfraSample {
  const pids = { NATS: new Map(), Redis: new Map(), Postgres: new Map() } as InfraSample['pids'];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let command: string;
    try {
      command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    for (const name of Object.keys(INFRA) as InfraName[]) {
      if (command === INFRA[name]) pids[name].set(Number(entry), cpuMs(Number(entry)));
    }
  }
  const totals = Object.fromEntries(
    (Object.keys(INFRA) as InfraName[]).map((name) => [
      name,
      [...pids[name].values()].reduce((sum, ms) => sum + ms, 0),
    ]),
  ) as Record<InfraName, number>;
  return { pids, totals };
}

/**
 * The processes' CPU after a run, the infrastructure's counted per pid: a postgres backend that
 * started during the run counts from zero (one that ended is lost).
 */
function cpuAfter(after: CpuSample, before: InfraSample, later: InfraSample): CpuSample {
  const infra = Object.fromEntries(
    (Object.keys(INFRA) as InfraName[]).map((name) => {
      let used = 0;
      for (const [pid, ms] of later.pids[name]) used += ms - (before.pids[name].get(pid) ?? 0);
      return [name, before.totals[name] + used];
    }),
  );
  return { ...after, ...infra };
}

function cpuProcesses(processes: Processes): Record<string, RunningProcess> {
  return { 'local push': processes.push.process, 'stand-ins': processes.standIns };
}

/** CPU µs per operation each process spent between two samples. */
function perOp(before: CpuSample, after: CpuSample, ops: number): CpuSample {
  return Object.fromEntries(
    Object.keys(after).map((name) => [
      name,
      ((after[name]! - (before[name] ?? Number.NaN)) * 1000) / ops,
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Report

interface ReportInput {
  started: Date;
  users: number;
  quiet: number;
  passes: PassFigures[];
  floorRows: Row[];
  postCpu: { fetch: CpuSample; http: CpuSample };
  setupNotes: string[];
  load: number[];
  natsVersion: string;
}

const CPU_COLUMNS: Array<[string, string]> = [
  ['client', 'notifier (bench process)'],
  ['local push', 'local push'],
  ['stand-ins', 'stand-ins'],
  ['NATS', 'nats-server'],
  ['Redis', 'redis-server'],
  ['Postgres', 'postgres'],
];

function report(input: ReportInput): BenchReport {
  const { passes, floorRows } = input;
  const row = ({ measure, ops, wallMs, p50Us, p99Us, checked }: Row): Cell[] => [
    measure,
    ops,
    seconds(wallMs),
    perSecond(ops, wallMs),
    Math.round(p50Us),
    Math.round(p99Us),
    checked,
  ];
  const cpuRow = (label: string, cpu: CpuSample, wallMs: number, ops: number): Cell[] => {
    const total = CPU_COLUMNS.reduce((sum, [key]) => sum + (cpu[key] ?? 0), 0);
    return [
      label,
      ...CPU_COLUMNS.map(([key]) => (cpu[key] === undefined ? '' : Math.round(cpu[key]))),
      Math.round(total),
      wallMs > 0 ? ((total * ops) / 1000 / wallMs).toFixed(2) : '',
    ];
  };
  const [pass1, pass2] = passes as [PassFigures, PassFigures];
  const fetchRow = floorRows.find((r) => r.measure.includes('`fetch` POST'))!;
  const httpRow = floorRows.find((r) => r.measure.includes('`node:http`'))!;
  return {
    tables: [
      {
        title: `Push decisions and sends, ${input.users.toLocaleString('en-US')} subscribed users, one notifier instance (stand-in recommender answering at once: the notifier's own capacity), vs floors in the same run`,
        columns: ['measure', 'ops', 'wall s', 'ops/s', 'p50 µs', 'p99 µs', 'checked'],
        rows: [...passes.map((pass) => row(pass.row)), ...floorRows.map(row)],
      },
      {
        title:
          'CPU µs per look (per POST for the floor) by process, /proc utime+stime; cores busy = CPU ÷ wall',
        columns: ['run', ...CPU_COLUMNS.map(([, label]) => label), 'total', 'cores busy'],
        rows: [
          cpuRow('pass 1 (push each)', pass1.cpu, pass1.row.wallMs, pass1.row.ops),
          cpuRow('pass 2 (interval)', pass2.cpu, pass2.row.wallMs, pass2.row.ops),
          cpuRow('floor: raw `fetch` POST', input.postCpu.fetch, fetchRow.wallMs, fetchRow.ops),
          cpuRow('floor: raw `node:http` POST', input.postCpu.http, httpRow.wallMs, httpRow.ops),
        ],
      },
    ],
    notes: [
      `Run ${input.started.toISOString()}; Node ${process.version}, NATS ${input.natsVersion}; 2 cores shared by everything. 1-minute load average at start / after set-up / at the end: ${input.load.map((value) => value.toFixed(1)).join(' / ')}.`,
      ...input.setupNotes,
      `Users in ${ZONES.length} time zones (${ZONES.join(', ')}), quiet hours 8–14 h after the start on their own clock: ${input.quiet} users quiet at T or T + 30 min. T = the clock when pass 1 began. PUSH_MIN_INTERVAL_MINUTES ${MIN_INTERVAL_MINUTES}, PUSH_TTL_SECONDS ${TTL_SECONDS}; the scheduler claims 200 users per round trip and runs 32 looks at once (mean in flight measured: pass 1 ${pass1.meanInFlight.toFixed(1)}, pass 2 ${pass2.meanInFlight.toFixed(1)}).`,
      'Per look, pass 1: devices and settings from Postgres (Prisma), push state (Redis MGET), deciding lock (SET NX), exclusions (2 × ZRANGEBYSCORE), rpc.recommender.recommend to the stand-in process, claim (Lua), payload + RFC 8291 encryption with the cached VAPID header, fetch POST to the local push service (which checks the JWT and decrypts), delivery log INSERT, device UPDATE, signals.push.sent (JetStream publish, acked), push_schedule upsert, unlock (Lua). Pass 2 stops after the Redis read: devices, settings, push state, push_schedule upsert. A look is timed from `consider` being called to its answer, so it includes waiting for the Prisma pool (10 connections) behind the 31 other looks.',
      `Requests per look, counted in this process (pg.Client#query, the notifier's Redis sendCommand, its NATS connection's messages out): pass 1 ${trips(pass1.roundTrips)} and one HTTP POST; pass 2 ${trips(pass2.roundTrips)}. The scheduler's claim of 200 due users is one of the Postgres queries per 200 looks.`,
      'The POST floors go to devices of their own (100) with bodies encrypted beforehand, first with fetch (as PushSender sends), then with node:http over a keep-alive agent; their CPU rows show what the client (this process) and the local push service (VAPID ES256 verification, ECDH + AES-GCM decryption, part of every pass-1 look too) spend per message. Postgres CPU sums every postgres process on the machine (backends of the notifier and the bench).',
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

const began = performance.now();
/** Seconds since the bench module loaded, for the progress lines. */
function elapsed(): string {
  return `[${Math.round((performance.now() - began) / 1000)} s]`;
}

function trips({ postgres, redis, natsOut }: RoundTrips): string {
  return `${postgres.toFixed(2)} Postgres queries, ${redis.toFixed(2)} Redis commands, ${natsOut.toFixed(2)} NATS messages out`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function count<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function describe(counts: Map<string, number>): string {
  return [...counts].map(([what, n]) => `${n} × ${what}`).join(', ');
}
