import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { testInfrastructure } from '@oo/testing';
import { DecisionLogRepository } from '../src/evaluation/decision-log.repository.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TipRepository } from '../src/tips/tip.repository.js';

/**
 * The decision log as off-policy evaluation pages through it: tips served at the very same
 * moment (a burst of decisions, a batch import) straddle page boundaries, and each is still
 * read exactly once.
 */
describe('DecisionLogRepository paging', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let tips: TipRepository;
  const servedAt = new Date('2026-12-01T12:00:00Z');
  const ids: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['recommender'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
    tips = new TipRepository(prisma);
    // Seven tips of one moment, plus one before and one after it.
    const moments = [
      new Date(servedAt.getTime() - 60_000),
      ...Array.from({ length: 7 }, () => servedAt),
      new Date(servedAt.getTime() + 60_000),
    ];
    for (const [k, at] of moments.entries()) {
      const { tip } = await tips.createTip({
        userId: `u-page-${k}`,
        channel: 'web',
        taskId: `task-${k}`,
        provider: 'todoist',
        title: 'A task',
        priority: 3,
        due: null,
        url: null,
        policy: 'linucb-d5',
        propensity: 0.9,
        features: [0.5, 1],
        shadow: null,
        seed: 7n,
        candidateCount: 2,
        latencyMs: 1,
        servedAt: at,
      });
      ids.push(tip.id);
    }
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  async function read(pageSize: number, since?: Date): Promise<string[]> {
    const read: string[] = [];
    const log = new DecisionLogRepository(prisma);
    for await (const decision of log.decisions(since ? { since } : {}, [], pageSize)) {
      read.push(decision.tipId);
    }
    return read;
  }

  it.each([1, 2, 3, 4])(
    'reads every decision once with pages of %i, ties of served_at across the boundaries',
    async (pageSize) => {
      const all = await read(pageSize);
      expect(all).toHaveLength(ids.length);
      expect([...all].sort()).toEqual([...ids].sort());
    },
  );

  it('reads each decision since a moment once, the tied ones included', async () => {
    const since = await read(2, servedAt);
    expect(since).toHaveLength(ids.length - 1);
    expect([...since].sort()).toEqual(ids.slice(1).sort());
  });
});
