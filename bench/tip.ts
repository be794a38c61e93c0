/**
 * The tip loop end to end (issue 10): `GET /api/tip` through the gateway → recommender →
 * integrations (the cached task set) → scorer, at a fixed request rate over many users, next
 * to a bare Fastify route measured just before it in the same run.
 *
 * Every service is its own process — gateway, auth, profile, integrations, recommender,
 * scorer — with the local Todoist and the floor, on the real NATS, Redis and Postgres, in a
 * namespace and a scratch database of their own. Users sign in through the gateway's
 * dev-login (real sessions: cookie, CSRF token) and are connected to a local Todoist user
 * holding BENCH_TIP_TASKS open tasks through integrations' connect RPCs; their first sync is
 * waited for, so integrations answers from its cache.
 *
 * Load is open loop (bench/support/load.ts): request i is due at start + i/rate and its
 * latency runs from that due time, so a stall shows in the tail instead of lowering the rate.
 * Scenarios, each with its own floor run:
 * - re-serve: every user already has an open tip; each GET answers it again (integrations is
 *   asked whether its task is still open at most every 30 s per tip; events end it sooner).
 * - mixed: closer to real use — users in turn, each starting with an open tip (given untimed
 *   before the run), and one answer in BENCH_TIP_REACT_ONE_IN (10) is snoozed right after
 *   (untimed), so that user's next GET decides; the rest re-serve.
 * - decide: each GET is a new decision — after it (untimed) the bench snoozes the tip for 7
 *   days with `POST /api/tips/:tipId/feedback`, so the next GET of that user decides again.
 *   Users are taken in turn, skipping one whose GET or snooze is still in flight.
 * - scorer stalled: as decide, with the scorer process stopped (SIGSTOP; SIGCONT after): every
 *   decision waits RECOMMENDER_SCORER_TIMEOUT_MS and falls back to the random policy.
 *
 * Rate limits are raised for the run (RATE_LIMIT_IP_PER_MINUTE, RATE_LIMIT_USER_PER_MINUTE):
 * the client is one address. Env: BENCH_TIP_RATE (300), BENCH_TIP_SECONDS (10, per scenario),
 * BENCH_TIP_STALLED_SECONDS (5), BENCH_TIP_FLOOR_SECONDS (5), BENCH_TIP_USERS (150),
 * BENCH_TIP_TASKS (50), BENCH_TIP_CAPACITY_REQUESTS (1,500), BENCH_TIP_REACT_ONE_IN (10),
 * BENCH_TIP_MIXED_ONLY (1: stop after the mixed scenario). BENCH_TIP_CPU_PROFILE=<dir> runs the
 * gateway, recommender and integrations with `node --cpu-prof` and leaves their profiles there.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { RpcClient } from '@oo/messaging';
import { createTestDatabase } from '@oo/database';
import { generateSigningKey } from '@oo/sessions';
import {
  connectTodoistByRpc,
  devSignIn,
  freePort,
  startLocalTodoistProcess,
  startServiceProcess,
  waitForHealth,
  type LocalTodoistProcess,
  type RunningProcess,
  type ServiceProcess,
} from '@oo/testing';
import { NODE_TS_ARGS, REPO_ROOT, startNodeProcess } from '@oo/devkit/process';
import pg from 'pg';
import {
  type BenchReport,
  type Cell,
  inParallel,
  positiveInt,
  progress,
  withDeadline,
} from './harness.js';
import { openBenchNamespace, startHelloFloor, stopProcess } from './support/bench-infra.js';
import { httpCall, keepAliveAgent, type HttpAnswer } from './support/http-client.js';
import {
  closedLoop,
  openLoop,
  summarize,
  type ClosedLoopResult,
  type OpenLoopResult,
} from './support/load.js';
import { cpuPerRequest, sampleCpu, type CpuSample } from './support/process-cpu.js';
import { realisticTasks } from './support/tasks.js';

const RATE = positiveInt(process.env['BENCH_TIP_RATE'], 300);
const SECONDS = positiveInt(process.env['BENCH_TIP_SECONDS'], 10);
const STALLED_SECONDS = positiveInt(process.env['BENCH_TIP_STALLED_SECONDS'], 5);
const FLOOR_SECONDS = positiveInt(process.env['BENCH_TIP_FLOOR_SECONDS'], 5);
const USERS = positiveInt(process.env['BENCH_TIP_USERS'], 150);
const TASKS = positiveInt(process.env['BENCH_TIP_TASKS'], 50);
/** The recommender's default deadline for the scorer, stated so the report can name it. */
const SCORER_TIMEOUT_MS = 100;
const TARGET_P99_MS = 15;
const CAPACITY_REQUESTS = positiveInt(process.env['BENCH_TIP_CAPACITY_REQUESTS'], 1_500);
const CAPACITY_IN_FLIGHT = 16;
const PROFILE_DIR = process.env['BENCH_TIP_CPU_PROFILE'];
const SETUP_PARALLEL = 8;
const SNOOZE_MINUTES = 7 * 24 * 60;
/** In the mixed scenario, one GET in this many is followed by a reaction (a snooze). */
const REACT_ONE_IN = positiveInt(process.env['BENCH_TIP_REACT_ONE_IN'], 10);
/** Stop after the mixed scenario (a quicker run when only it is being compared). */
const MIXED_ONLY = process.env['BENCH_TIP_MIXED_ONLY'] === '1';
const CLIENT = { id: 'bench-tip-client', secret: 'bench-tip-secret' };

const agent = keepAliveAgent(256);

interface BenchUser {
  userId: string;
  cookie: string;
  mutationHeaders: Record<string, string>;
  /** The user's open tip, as the last GET answered it. */
  tipId: string | undefined;
  /** GETs and snoozes of this user in flight. */
  inFlight: number;
}

interface TipAnswer {
  status: number;
  /** Kept when the answer is not a tip, for the error. */
  body?: string;
  tipId?: string;
  policy?: string;
}

interface Stack {
  gatewayUrl: string;
  floorUrl: string;
  scorer: RunningProcess;
  sql: pg.Client;
  /** Every process on the request's path, for the CPU accounting. */
  processes: Record<string, RunningProcess>;
}

/** One scenario's measurement: the floor's run, the tip's run, and what the answers were. */
interface ScenarioFigures {
  name: string;
  seconds: number;
  floor: OpenLoopResult;
  tip: OpenLoopResult;
  /** Counts of what the timed GETs answered (same tip, new tip, 204, policy …). */
  answers: Map<string, number>;
  /** Answers other than 200 and 204, by status and error code. */
  failures: Map<string, number>;
  /** Snoozes that did not answer 200. */
  failedSnoozes: number;
  decisions: DecisionRow[];
  /** Closed loop, CAPACITY_IN_FLIGHT outstanding (re-serve only): floor and tip, req/s. */
  capacity?: { floor: ClosedLoopResult; tip: ClosedLoopResult };
  /** CPU µs per timed request, by process: the floor's run and the tip's. */
  floorCpu: CpuSample;
  tipCpu: CpuSample;
}

interface DecisionRow {
  policy: string;
  decisions: number;
  p50: number;
  p99: number;
}

/** Benchmark entry. */
export async function tipBench(): Promise<BenchReport> {
  const space = await openBenchNamespace('tip');
  const { natsUrl, redisUrl, topology, nc } = space;
  const database = await createTestDatabase({
    services: ['auth', 'profile', 'integrations', 'recommender'],
  });
  const children: RunningProcess[] = [];
  /** The services by name, for their last lines when the bench fails. */
  const named: Record<string, RunningProcess> = {};
  let todoist: LocalTodoistProcess | undefined;
  let sql: pg.Client | undefined;
  const load = [loadavg()[0]!];
  try {
    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    todoist = await startLocalTodoistProcess({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: `${gatewayUrl}/integrations/todoist/callback`,
    });
    children.push(todoist.process);
    const env = {
      NATS_URL: natsUrl,
      REDIS_URL: redisUrl,
      DATABASE_URL: database.url,
      OO_NAMESPACE: topology.namespace,
      OO_ENV: 'test',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: gatewayUrl,
    };
    progress('starting auth, profile, integrations, scorer, recommender, gateway and the floor…');
    const [auth, profile, integrations, scorer, recommender] = await Promise.all([
      startService('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('bench') }),
      startService('profile', env),
      startService('integrations', {
        ...env,
        TODOIST_CLIENT_ID: CLIENT.id,
        TODOIST_CLIENT_SECRET: CLIENT.secret,
        TODOIST_OAUTH_URL: todoist.oauthUrl,
        TODOIST_API_URL: todoist.apiUrl,
        TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      }),
      startService('scorer', env),
      startService('recommender', {
        ...env,
        RECOMMENDER_SCORER_TIMEOUT_MS: String(SCORER_TIMEOUT_MS),
      }),
    ]);
    children.push(
      auth.process,
      profile.process,
      integrations.process,
      scorer.process,
      recommender.process,
    );
    Object.assign(named, {
      auth: auth.process,
      profile: profile.process,
      integrations: integrations.process,
      scorer: scorer.process,
      recommender: recommender.process,
    });
    // Ready includes auth's session keys, so it starts after auth.
    const gateway = await startService(
      'gateway',
      {
        ...env,
        AUTH_URL: auth.url,
        RATE_LIMIT_IP_PER_MINUTE: '1000000000',
        RATE_LIMIT_USER_PER_MINUTE: '1000000000',
      },
      { port: gatewayPort },
    );
    children.push(gateway.process);
    named['gateway'] = gateway.process;
    const floor = await startHelloFloor();
    children.push(floor.process);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const stack: Stack = {
      gatewayUrl,
      floorUrl: `${floor.url}/hello`,
      scorer: scorer.process,
      sql,
      processes: { ...named, 'local Todoist': todoist.process, floor: floor.process },
    };

    progress(
      `${elapsed()} signing in and connecting ${USERS} users with ${TASKS} open tasks each…`,
    );
    // Each decide-run GET uses up one task for a week; a user left with none answers 204.
    const decisions = 3 + RATE * (SECONDS + STALLED_SECONDS);
    if (USERS * TASKS < decisions) {
      progress(`  ${USERS} users × ${TASKS} tasks < ${decisions} decisions: expect 204s`);
    }
    const rpc = new RpcClient(nc, topology);
    const users = await inParallel(USERS, SETUP_PARALLEL, async (i) => {
      const signedIn = await devSignIn(gatewayUrl, gatewayUrl, `bench-tip-${i}@example.com`);
      const todoistUser = await todoist!.control.addUser();
      await todoist!.control.addTasks(todoistUser.id, realisticTasks(TASKS), { notify: false });
      // On a loaded machine a cold service can miss an RPC's deadline: connecting again is safe.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await connectTodoistByRpc(rpc, todoist!, signedIn.userId, todoistUser.id, TASKS);
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          progress(`  connecting user ${i} again: ${(error as Error).message}`);
        }
      }
      return {
        userId: signedIn.userId,
        cookie: signedIn.cookie,
        mutationHeaders: signedIn.mutationHeaders,
        tipId: undefined,
        inFlight: 0,
      } satisfies BenchUser;
    });

    progress(`${elapsed()} warming up: a first decision per user, then re-serves…`);
    await warmUp(stack, users);
    load.push(loadavg()[0]!);

    const scenarios: ScenarioFigures[] = [];
    const missing: string[] = [];
    scenarios.push(await reServe(stack, users));
    try {
      await settle(stack, users);
      await openTipForEach(stack, users);
      scenarios.push(
        await decideScenario(stack, users, `mixed (1 in ${REACT_ONE_IN} reacts)`, SECONDS, {
          reactOneIn: REACT_ONE_IN,
        }),
      );
      if (!MIXED_ONLY) {
        await settle(stack, users);
        scenarios.push(await decideScenario(stack, users, 'decide', SECONDS));
        await settle(stack, users);
        scenarios.push(
          await decideScenario(stack, users, 'scorer stalled', STALLED_SECONDS, {
            stallScorer: true,
          }),
        );
      }
    } catch (error) {
      // Reported, not thrown: the scenarios measured so far still stand.
      const reason = `decide / scorer stalled could not run: ${(error as Error).message}`;
      progress(`  ${reason}`);
      missing.push(reason);
    }
    load.push(loadavg()[0]!);
    return report(scenarios, users.length, load, missing);
  } catch (error) {
    for (const [name, child] of Object.entries(named)) {
      const tail = child.output().trim().split('\n').slice(-15).join('\n');
      if (tail) progress(`  [${name}, last lines]\n${tail}`);
    }
    throw error;
  } finally {
    for (const child of [...children].reverse()) await stopProcess(child);
    agent.destroy();
    await sql?.end();
    await space.remove();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

const PROFILED = new Set(['gateway', 'recommender', 'integrations']);

/**
 * `startServiceProcess`, or with BENCH_TIP_CPU_PROFILE the same service under
 * `node --cpu-prof` (its profile written to that directory when it stops).
 */
async function startService(
  name: string,
  env: Record<string, string>,
  options: { port?: number } = {},
): Promise<ServiceProcess> {
  if (!PROFILE_DIR || !PROFILED.has(name)) return startServiceProcess(name, env, options);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = startNodeProcess(
    [
      '--cpu-prof',
      // A directory per service: its module loader's worker thread writes a profile too.
      `--cpu-prof-dir=${PROFILE_DIR}/${name}`,
      ...NODE_TS_ARGS,
      `services/${name}/src/main.ts`,
    ],
    { ...env, PORT: String(port) },
    { cwd: REPO_ROOT },
  );
  await waitForHealth(url, { timeoutMs: 90_000, process: child });
  return { process: child, port, url };
}

// ---------------------------------------------------------------------------------------------
// Requests

async function getTip(stack: Stack, user: BenchUser): Promise<TipAnswer> {
  const { status, body } = await httpCall(agent, `${stack.gatewayUrl}/api/tip`, {
    headers: { cookie: user.cookie },
  });
  if (status !== 200) return { status, body };
  const tip = JSON.parse(body) as { tipId: string; policy: string };
  return { status, tipId: tip.tipId, policy: tip.policy };
}

function snooze(stack: Stack, user: BenchUser, tipId: string): Promise<HttpAnswer> {
  return httpCall(agent, `${stack.gatewayUrl}/api/tips/${tipId}/feedback`, {
    method: 'POST',
    headers: user.mutationHeaders,
    json: { action: 'snooze', snoozeMinutes: SNOOZE_MINUTES },
  });
}

/**
 * The user's tip outside the measurement. The first decisions of a cold process can outlast the
 * gateway's deadline (503 unavailable): those are asked again, a few times.
 */
async function settledTip(stack: Stack, user: BenchUser): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await getTip(stack, user);
    if (answer.status === 200) return answer.tipId!;
    if (answer.status !== 503 || attempt === 5) {
      throw new Error(`GET /api/tip answered ${answer.status} ${answer.body ?? ''}`);
    }
  }
}

/** GETs the user's tip and snoozes it: afterwards the user has no open tip. */
async function endOpenTip(stack: Stack, user: BenchUser): Promise<void> {
  const answer = await snooze(stack, user, await settledTip(stack, user));
  if (answer.status !== 200) {
    throw new Error(`POST /api/tips/:tipId/feedback answered ${answer.status} ${answer.body}`);
  }
  user.tipId = undefined;
}

/**
 * Every path warmed before anything is timed: a first decision per user (the first few one at
 * a time, while the processes are cold), which stays the user's open tip, then re-serves and
 * floor requests.
 */
async function warmUp(stack: Stack, users: BenchUser[]): Promise<void> {
  const first = Math.min(10, users.length);
  for (const user of users.slice(0, first)) user.tipId = await settledTip(stack, user);
  await inParallel(users.length - first, SETUP_PARALLEL, async (i) => {
    users[first + i]!.tipId = await settledTip(stack, users[first + i]!);
  });
  await inParallel(users.length * 3, SETUP_PARALLEL, async (i) => {
    await getTip(stack, users[i % users.length]!);
    await httpCall(agent, stack.floorUrl);
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/**
 * Before a decide run: waits until the services are idle (requests the gateway gave up on
 * may still be deciding in the recommender, and would leave open tips behind), then ends
 * every open tip, so each GET that follows decides anew.
 */
async function settle(stack: Stack, users: BenchUser[]): Promise<void> {
  progress(`${elapsed()} waiting for the services to be idle, then ending every open tip…`);
  await withDeadline(
    (async () => {
      for (;;) {
        const before = sampleCpu(stack.processes);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const after = sampleCpu(stack.processes);
        const busiest = Math.max(
          ...['gateway', 'recommender', 'integrations'].map((name) => after[name]! - before[name]!),
        );
        // Under 10 % of a core: nothing left queued.
        if (busiest < 100) return;
      }
    })(),
    120_000,
    'the services becoming idle',
  );
  await inParallel(users.length, SETUP_PARALLEL, (i) => endOpenTip(stack, users[i]!));
}

/**
 * Before the mixed run: a tip for every user (untimed), so that its GETs re-serve except after
 * a snooze. Started from no open tips, its first pass over the users would be one decision each
 * at the full rate (150 in half a second), a burst the steady mix never has.
 */
async function openTipForEach(stack: Stack, users: BenchUser[]): Promise<void> {
  progress(`${elapsed()} a tip for every user before the mixed run…`);
  await inParallel(users.length, SETUP_PARALLEL, async (i) => {
    users[i]!.tipId = await settledTip(stack, users[i]!);
  });
}

async function floorRun(stack: Stack): Promise<{ floor: OpenLoopResult; floorCpu: CpuSample }> {
  const before = sampleCpu(stack.processes);
  const floor = await openLoop({
    rate: RATE,
    seconds: FLOOR_SECONDS,
    send: async () => (await httpCall(agent, stack.floorUrl)).status === 200,
  });
  return { floor, floorCpu: cpuPerRequest(before, sampleCpu(stack.processes), floor.sent) };
}

/** Users in a scattered order, so consecutive requests are not the same few users. */
const scattered = (i: number, count: number): number => (i * 7919) % count;

async function reServe(stack: Stack, users: BenchUser[]): Promise<ScenarioFigures> {
  progress(
    `${elapsed()} re-serve: floor ${FLOOR_SECONDS} s, then GET /api/tip ${SECONDS} s at ${RATE}/s…`,
  );
  const { floor, floorCpu } = await floorRun(stack);
  const answers = new Map<string, number>();
  const failures = new Map<string, number>();
  const since = new Date();
  const before = sampleCpu(stack.processes);
  const tip = await openLoop({
    rate: RATE,
    seconds: SECONDS,
    send: async (i) => {
      const user = users[scattered(i, users.length)]!;
      const answer = await getTip(stack, user);
      if (answer.status !== 200 && answer.status !== 204) count(failures, failure(answer));
      if (answer.status !== 200) return false;
      count(answers, answer.tipId === user.tipId ? 'the open tip again' : 'another tip');
      return answer.tipId === user.tipId;
    },
  });
  const tipCpu = cpuPerRequest(before, sampleCpu(stack.processes), tip.sent);
  progress(`${elapsed()} re-serve: the most requests per second, ${CAPACITY_IN_FLIGHT} in flight…`);
  const capacity = {
    floor: await closedLoop(CAPACITY_REQUESTS * 4, CAPACITY_IN_FLIGHT, async () => {
      return (await httpCall(agent, stack.floorUrl)).status === 200;
    }),
    tip: await closedLoop(CAPACITY_REQUESTS, CAPACITY_IN_FLIGHT, async (i) => {
      const user = users[scattered(i, users.length)]!;
      return (await getTip(stack, user)).tipId === user.tipId;
    }),
  };
  return {
    capacity,
    name: 're-serve',
    seconds: SECONDS,
    floor,
    tip,
    answers,
    failures,
    failedSnoozes: 0,
    decisions: await decisions(stack, since),
    floorCpu,
    tipCpu,
  };
}

/**
 * Each GET a new decision: the user's tip is snoozed right after (untimed), and a user is not
 * asked again while their GET or snooze is in flight. With `reactOneIn` > 1 (the mixed
 * scenario, closer to real use) only one answer in that many is snoozed, so most GETs answer
 * the open tip again and the GET after a snooze decides.
 */
async function decideScenario(
  stack: Stack,
  users: BenchUser[],
  name: string,
  seconds: number,
  { stallScorer = false, reactOneIn = 1 }: { stallScorer?: boolean; reactOneIn?: number } = {},
): Promise<ScenarioFigures> {
  progress(
    `${elapsed()} ${name}: floor ${FLOOR_SECONDS} s, then GET /api/tip ${seconds} s at ${RATE}/s…`,
  );
  const { floor, floorCpu } = await floorRun(stack);
  const answers = new Map<string, number>();
  const failures = new Map<string, number>();
  const snoozes: Array<Promise<void>> = [];
  let failedSnoozes = 0;
  let turn = 0;
  let served = 0;
  const nextUser = (): BenchUser => {
    for (let tried = 0; tried < users.length; tried += 1) {
      const user = users[turn % users.length]!;
      turn += 1;
      if (user.inFlight === 0) return user;
    }
    count(answers, 'sent to a user still busy');
    return users[turn++ % users.length]!;
  };
  const since = new Date();
  // Stopped only now, so the floor's run before is not measured beside a stalled process.
  if (stallScorer) stack.scorer.kill('SIGSTOP');
  const before = sampleCpu(stack.processes);
  const tip = await openLoop({
    rate: RATE,
    seconds,
    send: async () => {
      const user = nextUser();
      user.inFlight += 1;
      let answer: TipAnswer;
      try {
        answer = await getTip(stack, user);
      } catch (error) {
        user.inFlight -= 1;
        throw error;
      }
      if (answer.status === 204) count(answers, '204 (nothing left to suggest)');
      else if (answer.status !== 200) count(failures, failure(answer));
      const fresh = answer.status === 200 && answer.tipId !== user.tipId;
      if (fresh) count(answers, `a new tip, policy ${answer.policy}`);
      // The same tip again: in the decide runs another request of this user has it, and
      // snoozes it; in the mixed run, the open tip answered again.
      else if (answer.status === 200)
        count(answers, reactOneIn === 1 ? 'the same tip again (user busy)' : 'the open tip again');
      const react =
        answer.status === 200 && (reactOneIn === 1 ? fresh : (served += 1) % reactOneIn === 0);
      if (!react) {
        if (fresh) user.tipId = answer.tipId;
        user.inFlight -= 1;
        return answer.status === 200 || answer.status === 204;
      }
      user.tipId = answer.tipId;
      snoozes.push(
        snooze(stack, user, answer.tipId!)
          .then(
            ({ status }) => {
              if (status !== 200) failedSnoozes += 1;
            },
            () => {
              failedSnoozes += 1;
            },
          )
          .finally(() => {
            user.inFlight -= 1;
          }),
      );
      return true;
    },
  }).finally(() => {
    if (stallScorer) stack.scorer.kill('SIGCONT');
  });
  await withDeadline(Promise.all(snoozes), 60_000, `${name}: the snoozes`);
  const tipCpu = cpuPerRequest(before, sampleCpu(stack.processes), tip.sent);
  return {
    name,
    seconds,
    floor,
    tip,
    answers,
    failures,
    failedSnoozes,
    decisions: await decisions(stack, since),
    floorCpu,
    tipCpu,
  };
}

/** The decisions the recommender logged since `since`, by policy, with its own latency. */
async function decisions(stack: Stack, since: Date): Promise<DecisionRow[]> {
  const { rows } = await stack.sql.query<{ policy: string; n: string; p50: number; p99: number }>(
    `SELECT policy, count(*) AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99
       FROM recommender.tip WHERE served_at >= $1 GROUP BY policy ORDER BY policy`,
    [since],
  );
  return rows.map((row) => ({
    policy: row.policy,
    decisions: Number(row.n),
    p50: row.p50,
    p99: row.p99,
  }));
}

// ---------------------------------------------------------------------------------------------
// Report

function report(
  scenarios: ScenarioFigures[],
  users: number,
  load: number[],
  missing: string[],
): BenchReport {
  const ms = (us: number): string => (us / 1000).toFixed(2);
  const rows: Cell[][] = scenarios.flatMap((scenario) => {
    const side = (label: string, run: OpenLoopResult, answers: string): Cell[] => {
      const latency = summarize(run.samples);
      return [
        label === 'bare Fastify' ? `${scenario.name} (${scenario.seconds} s)` : '',
        label,
        run.sent,
        run.achievedRate,
        ms(latency.p50),
        ms(latency.p99),
        ms(latency.p999),
        ms(latency.max),
        run.errors,
        answers,
      ];
    };
    const tipLatency = summarize(scenario.tip.samples);
    return [
      side(
        'bare Fastify',
        scenario.floor,
        `${FLOOR_SECONDS} s, just before; client lag ≤ ${ms(scenario.floor.maxSendLagUs)} ms`,
      ),
      side(
        'GET /api/tip',
        scenario.tip,
        [
          ...[...scenario.answers].map(([what, n]) => `${n} × ${what}`),
          ...[...scenario.failures].map(([what, n]) => `${n} × HTTP ${what}`),
          ...(scenario.failedSnoozes ? [`${scenario.failedSnoozes} snoozes refused`] : []),
          `p99 ${tipLatency.p99 / 1000 <= TARGET_P99_MS ? '≤' : '>'} ${TARGET_P99_MS} ms`,
        ].join('; '),
      ),
    ];
  });
  const decisionRows: Cell[][] = scenarios.flatMap((scenario) =>
    scenario.decisions.map((row, i) => [
      i === 0 ? scenario.name : '',
      row.policy,
      row.decisions,
      row.p50.toFixed(2),
      row.p99.toFixed(2),
    ]),
  );
  return {
    tables: [
      {
        title: `GET /api/tip at ${RATE} req/s, open loop (latency from each request's due time), vs a bare Fastify route`,
        columns: [
          'scenario',
          'side',
          'requests',
          'achieved req/s',
          'p50 ms',
          'p99 ms',
          'p99.9 ms',
          'max ms',
          'errors',
          'answers',
        ],
        rows,
      },
      {
        title: `The most requests per second, ${CAPACITY_IN_FLIGHT} in flight (closed loop, re-serve)`,
        columns: ['side', 'requests', 'req/s', 'errors'],
        rows: scenarios.flatMap(({ capacity }) =>
          capacity
            ? [
                [
                  'bare Fastify',
                  capacity.floor.requests,
                  capacity.floor.perSecond,
                  capacity.floor.errors,
                ],
                [
                  'GET /api/tip',
                  capacity.tip.requests,
                  capacity.tip.perSecond,
                  capacity.tip.errors,
                ],
              ]
            : [],
        ),
      },
      {
        title: 'CPU per timed request (µs), by process (decide runs: the GET and its snooze)',
        columns: ['scenario', 'side', ...CPU_COLUMNS, 'services total'],
        rows: scenarios.flatMap((scenario) => [
          cpuRow(`${scenario.name}`, 'bare Fastify', scenario.floorCpu),
          cpuRow('', 'GET /api/tip', scenario.tipCpu),
        ]),
      },
      {
        title:
          'New decisions as the recommender logged them (tip.latency_ms: tasks, holds, open tip, clock, scorer, features, explanation; before the insert)',
        columns: ['scenario', 'policy', 'decisions', 'p50 ms', 'p99 ms'],
        rows: decisionRows,
      },
    ],
    notes: [
      ...missing,
      `${users} users, each signed in through the gateway (dev-login) and connected to a local Todoist user with ${TASKS} open tasks (connect RPCs, first sync waited for). Gateway, auth, profile, integrations, recommender and scorer are separate processes; the floor is bench/support/hello-server.ts. Rate limits raised for the run. Client: node:http, keep-alive.`,
      're-serve: every user has an open tip; each GET answers it again (one Postgres read; integrations is asked whether its task is still open at most every 30 s per tip, as task.synced, task.completed and integration.disconnected end a tip whose task left). mixed: users in turn, each with an open tip at the start (given untimed); one answer in ' +
        `${REACT_ONE_IN} is snoozed (untimed), so that user’s next GET decides and the rest re-serve. ` +
        'decide: each GET decides anew (tasks, holds, profile zone, rpc.scorer.score with the shadows, insert of the tip and every candidate score, tip.served published); the tip is then snoozed for 7 days (untimed), so users are taken in turn, skipping any with a request in flight. scorer stalled: as decide with the scorer process SIGSTOPped: each decision waits RECOMMENDER_SCORER_TIMEOUT_MS = ' +
        `${SCORER_TIMEOUT_MS} ms and the random policy decides.`,
      `integrations keeps a task set fresh for 30 s: users whose set went stale are resynced from the local Todoist in the background during the run, as in production. Errors = any answer but 200 (or 204 in the decide runs) or a failed request. Target: p99 ≤ ${TARGET_P99_MS} ms.`,
      `2 cores shared by the client, the six services, the local Todoist, NATS, Redis and Postgres. 1-minute load average at start / after set-up / at the end: ${load.map((value) => value.toFixed(1)).join(' / ')}.`,
    ],
  };
}

const CPU_COLUMNS = [
  'gateway',
  'recommender',
  'integrations',
  'scorer',
  'profile',
  'auth',
  'local Todoist',
  'floor',
  'client',
];

function cpuRow(scenario: string, side: string, cpu: CpuSample): Cell[] {
  const services = CPU_COLUMNS.filter((name) => name !== 'client').reduce(
    (sum, name) => sum + (cpu[name] ?? 0),
    0,
  );
  return [
    scenario,
    side,
    ...CPU_COLUMNS.map((name) => Math.round(cpu[name] ?? Number.NaN)),
    Math.round(services),
  ];
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** An error answer as `503 (The recommender service is not answering…)`, from its body. */
function failure(answer: TipAnswer): string {
  try {
    const { error } = JSON.parse(answer.body ?? '') as { error?: { message?: string } };
    return `${answer.status} (${error?.message?.slice(0, 60) ?? ''})`;
  } catch {
    return String(answer.status);
  }
}

const began = performance.now();
/** Seconds since the bench module loaded, for the progress lines. */
function elapsed(): string {
  return `[${Math.round((performance.now() - began) / 1000)} s]`;
}

function count<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
