import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { policyRegistry } from '@oo/learning';
import { RpcCallError, RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  freePort,
  serviceTestEnv,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadRecommenderEnv } from '../src/config/env.js';
import { DecisionLogRepository } from '../src/evaluation/decision-log.repository.js';
import { EvaluationService } from '../src/evaluation/evaluation.service.js';
import type { PolicyEvaluation } from '../src/evaluation/policy-evaluation.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { writeLoggedSimulation, type SimulationTruth } from './support/logged-simulation.js';

const LIVE = policyRegistry.live().name;
const SHADOW = policyRegistry.shadows()[0]!.name;
const EPSILON = 0.2;
/**
 * The log spans 50 hours (one decision a minute) ending well before now, and the service
 * runs with the longest expiry window: its sweeper records `expired` for tips left without a
 * terminal reaction past the window, which would turn this log's pending and task-gone tips
 * into outcomes while the test reads them.
 */
const START = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 24 * 3_600_000);
const EXPIRY_HOURS = '720';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The truth lies within the 95 % interval. */
function covers(interval: PolicyEvaluation['ips'], truth: number): boolean {
  return interval.low! <= truth && truth <= interval.high!;
}

/**
 * Off-policy evaluation over a real Postgres, on a logged simulation whose true policy values
 * are known: a seeded population served by an ε-greedy LinUCB-like live policy (scores of the
 * live and a shadow policy logged on every decision), some decisions by the random fallback,
 * outcomes drawn from the truth. The estimates must find the truth; the RPC and the CLI must
 * say what the module says.
 */
describe('off-policy evaluation', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let nats: TestNats;
  let app: ServiceApp;
  let rpc: RpcClient;
  let evaluation: EvaluationService;
  let truth: SimulationTruth;
  let results: Map<string, PolicyEvaluation>;

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['recommender'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
    truth = await writeLoggedSimulation(prisma, {
      // A fixed seed: the log, the estimates and the truth are the same on every run. How
      // often the intervals cover over many logs is libs/learning's off-policy.spec.ts's question.
      seed: 4,
      users: 40,
      decisionsPerUser: 75,
      epsilon: EPSILON,
      fallbackShare: 0.15,
      goneShare: 0.03,
      start: START,
    });
    // Every scored decision logged the ε it was drawn with: a configured ε that is wrong
    // changes nothing (it is only for tips logged before the scorer said its ε).
    evaluation = new EvaluationService(new DecisionLogRepository(prisma), {
      SCORER_EPSILON: 0.9,
    });
    const evaluated = await evaluation.evaluate([LIVE, SHADOW, 'random']);
    results = new Map(evaluated.map((result) => [result.policy, result]));

    nats = await createTestNats('recommender-evaluation');
    app = await createApp(
      loadRecommenderEnv(
        await serviceTestEnv(nats, {
          DATABASE_URL: database.url,
          PORT: String(await freePort()),
          SCORER_EPSILON: String(EPSILON),
          TIP_EXPIRY_HOURS: EXPIRY_HOURS,
        }),
      ),
    );
    await app.start();
    rpc = new RpcClient(nats.nc, nats.topology);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await nats?.cleanup();
    await prisma?.$disconnect();
    await database?.drop();
  }, 60_000);

  it('counts what it used, what it had to skip and what has no outcome yet', () => {
    const closedScored = truth.closed - truth.closedFallbacks;
    expect(truth.open).toBeGreaterThan(0);
    expect(truth.gone).toBeGreaterThan(0);
    expect(truth.closedFallbacks).toBeGreaterThan(0);
    for (const policy of [LIVE, SHADOW]) {
      expect(results.get(policy)).toMatchObject({
        decisions: closedScored,
        skipped: truth.closedFallbacks,
        pending: truth.open,
        noOutcome: truth.gone,
      });
    }
    expect(results.get('random')).toMatchObject({
      decisions: truth.closed,
      skipped: 0,
      pending: truth.open,
      noOutcome: truth.gone,
      onPolicy: { decisions: truth.closedFallbacks },
    });
  });

  it("the live policy's estimate is its on-policy mean: every weight on its own decisions is 1", () => {
    const live = results.get(LIVE)!;

    expect(live.onPolicy.decisions).toBe(live.decisions);
    expect(live.ips.estimate).toBeCloseTo(live.onPolicy.meanReward!, 12);
    expect(live.snips.estimate).toBeCloseTo(live.onPolicy.meanReward!, 12);
    expect(live.effectiveSampleSize).toBeCloseTo(live.decisions, 6);
    expect(covers(live.ips, truth.trueMean[LIVE]!)).toBe(true);
  });

  it("the random policy's IPS interval holds its true mean", () => {
    const random = results.get('random')!;

    expect(covers(random.ips, truth.trueMean.random!)).toBe(true);
    expect(covers(random.snips, truth.trueMean.random!)).toBe(true);
    // It judged random on every closed decision, not only on the few the fallback made.
    expect(random.decisions).toBeGreaterThan(5 * random.onPolicy.decisions);
  });

  it("the shadow's estimates hold its true mean, and tell it apart from the live policy", () => {
    const shadow = results.get(SHADOW)!;
    const live = results.get(LIVE)!;

    expect(covers(shadow.ips, truth.trueMean[SHADOW]!)).toBe(true);
    expect(covers(shadow.snips, truth.trueMean[SHADOW]!)).toBe(true);
    // The shadow is truly better, and the evidence says so: its interval is above the live mean.
    expect(truth.trueMean[SHADOW]!).toBeGreaterThan(truth.trueMean[LIVE]!);
    expect(shadow.snips.low!).toBeGreaterThan(live.onPolicy.meanReward!);
    expect(shadow.effectiveSampleSize).toBeGreaterThan(50);
    expect(shadow.effectiveSampleSize).toBeLessThan(shadow.decisions);
  });

  it('narrows to one user, or to the decisions since an instant', async () => {
    const userId = truth.userIds[3]!;
    const since = new Date(START.getTime() + 1000 * 60_000);

    const [ofUser] = await evaluation.evaluate(['random'], { userId });
    const [recent] = await evaluation.evaluate(['random'], { since });

    expect(ofUser!.decisions).toBe(truth.closedOf(userId));
    expect(recent!.decisions).toBe(truth.closedSince(since));
    expect(recent!.decisions).toBeLessThan(truth.closed);
  });

  it('rpc.recommender.evaluate answers what the module computes', async () => {
    for (const policy of [LIVE, SHADOW, 'random']) {
      const answer = await rpc.call('rpc.recommender.evaluate', { policy }, 30_000);
      expect(answer).toEqual(results.get(policy));
    }
    const userId = truth.userIds[0]!;
    const since = new Date(START.getTime() + 30 * 60_000);
    const [expected] = await evaluation.evaluate([SHADOW], { userId, since });
    expect(
      await rpc.call(
        'rpc.recommender.evaluate',
        { policy: SHADOW, userId, since: since.toISOString() },
        30_000,
      ),
    ).toEqual(expected);
  });

  it.each([
    [{ policy: 'linucb-d99' }, 'policy', /not a known policy/],
    [{}, 'policy', /policy/],
    [{ policy: 'random', since: 'last tuesday' }, 'since', /since/],
    [{ policy: 'random', userId: 'a.b' }, 'userId', /userId/],
  ])('an invalid request %j is refused naming %s', async (request, field, message) => {
    const failure = await rpc
      .call('rpc.recommender.evaluate', request as never, 30_000)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RpcCallError);
    expect(failure).toMatchObject({ code: 'invalid_request', field });
    expect((failure as RpcCallError).message).toMatch(message);
  });

  it('npm run recommender:evaluate prints the same figures for every policy', async () => {
    const run = (args: string[]): Promise<{ stdout: string }> =>
      promisify(execFile)(
        process.execPath,
        [
          '--conditions=oo-source',
          '--import',
          '@swc-node/register/esm-register',
          'services/recommender/src/evaluation/evaluate.cli.ts',
          ...args,
        ],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, DATABASE_URL: database.url, SCORER_EPSILON: String(EPSILON) },
        },
      );

    const json = JSON.parse((await run(['--json'])).stdout) as PolicyEvaluation[];
    expect(json).toEqual([...results.values()].sort(byRegistryOrder));

    const table = (await run([])).stdout;
    expect(table).toMatch(/^policy\s+decisions\s+skipped\s+pending\s+no outcome\s+IPS/m);
    const shadow = results.get(SHADOW)!;
    expect(table).toContain(
      `${shadow.ips.estimate!.toFixed(3)} [${shadow.ips.low!.toFixed(3)}, ${shadow.ips.high!.toFixed(3)}]`,
    );
    expect(table.split('\n').filter((line) => /^(linucb-|random)/.test(line))).toHaveLength(
      policyRegistry.names().length + 1,
    );

    const refused = await run(['--policy', 'linucb-d99']).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 64 });
    expect((refused as { stderr: string }).stderr).toMatch(/--policy 'linucb-d99'/);
  }, 60_000);
});

function byRegistryOrder(a: PolicyEvaluation, b: PolicyEvaluation): number {
  const order = [...policyRegistry.names(), 'random'];
  return order.indexOf(a.policy) - order.indexOf(b.policy);
}
