import { randomUUID } from 'node:crypto';

import { testInfrastructure } from '@oo/testing';
import pg from 'pg';

import {
  applyMigrations,
  createPrismaAdapter,
  createServicePool,
  createTestDatabase,
  markProcessed,
  type TestDatabase,
} from '../src/index.js';
import { quoteIdent } from '../src/config/quote-ident.js';
import { servicePrismaPaths } from '../src/config/services.js';
import { PrismaClient } from './fixtures/generated/prisma/client.js';

// A generated Prisma 7 client (the fixture is a copy of a service's schema.prisma) wired the
// way services wire theirs. Generate it first: libs/database/src/cli/generate.ts.
const SCHEMA = 'profile';

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase({
    services: ['profile'],
    connectionString: (await testInfrastructure()).databaseUrl,
  });
  // A same-named table in public proves queries do not fall back to the default schema.
  await applyMigrations({
    connectionString: db.url,
    schema: 'public',
    migrationsDir: servicePrismaPaths('profile').migrationsDir,
  });
  prisma = new PrismaClient({ adapter: createPrismaAdapter(db.url, SCHEMA) });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function rowsIn(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quoteIdent(schema)}.processed_event`,
    );
    return result.rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

describe('a generated client through createPrismaAdapter', () => {
  it('reads and writes the service schema through model queries', async () => {
    const eventId = randomUUID();
    const before = await rowsIn(SCHEMA);

    await prisma.processedEvent.create({ data: { consumer: 'model-query', eventId } });

    expect(
      await prisma.processedEvent.findUnique({
        where: { consumer_eventId: { consumer: 'model-query', eventId } },
      }),
    ).toMatchObject({
      consumer: 'model-query',
      eventId,
      processedAt: expect.any(Date) as unknown,
    });
    expect(await rowsIn(SCHEMA)).toBe(before + 1);
    expect(await rowsIn('public')).toBe(0);
  });
});

describe('a generated client on createServicePool', () => {
  it('shares one pool with plain pg queries, both in the service schema, and ends it on $disconnect', async () => {
    const pool = createServicePool(db.url, SCHEMA);
    const shared = new PrismaClient({ adapter: createPrismaAdapter(pool, SCHEMA) });
    const eventId = randomUUID();

    await shared.processedEvent.create({ data: { consumer: 'shared-pool', eventId } });
    const read = await pool.query<{ consumer: string }>(
      'SELECT consumer FROM processed_event WHERE event_id = $1',
      [eventId],
    );
    await shared.$disconnect();

    expect(read.rows).toEqual([{ consumer: 'shared-pool' }]);
    expect(await rowsIn('public')).toBe(0);
    expect(pool.ended).toBe(true);
  });
});

describe('markProcessed', () => {
  it('returns true the first time and false for the same consumer and event afterwards', async () => {
    const eventId = randomUUID();

    const first = await prisma.$transaction((tx) =>
      markProcessed(tx, 'profile.signed-up', eventId),
    );
    const again = await prisma.$transaction((tx) =>
      markProcessed(tx, 'profile.signed-up', eventId),
    );
    const otherConsumer = await prisma.$transaction((tx) =>
      markProcessed(tx, 'profile.deleted', eventId),
    );

    expect([first, again, otherConsumer]).toEqual([true, false, true]);
    expect(await rowsIn('public')).toBe(0);
  });

  it('commits the mark with the effect: a rolled-back handler leaves no mark', async () => {
    const eventId = randomUUID();
    const handler = prisma.$transaction(async (tx) => {
      await markProcessed(tx, 'profile.flaky', eventId);
      throw new Error('effect failed');
    });
    await expect(handler).rejects.toThrow('effect failed');

    expect(await prisma.$transaction((tx) => markProcessed(tx, 'profile.flaky', eventId))).toBe(
      true,
    );
  });
});
