import { randomUUID } from 'node:crypto';
import { createEnvelope, signalSubject, type Envelope } from '@oo/contracts';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import { EventPublisher, RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  freePort,
  serviceTestEnv,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import pg from 'pg';
import { createApp, type RecommenderAppOptions } from '../../src/app.factory.js';
import { loadRecommenderEnv } from '../../src/config/env.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { TipRepository, type NewTip } from '../../src/tips/tip.repository.js';

/** A tip to log for a test: who, by which policy, when; the rest is filled in. */
export interface TipSpec {
  userId: string;
  policy: string;
  servedAt: string;
}

/** A reaction to store for a test, as the feedback, webhook and expiry paths store them. */
export interface ReactionSpec {
  kind: 'terminal' | 'rating';
  action: string;
  reward: number;
  source: string;
  reactedAt?: string;
}

export interface RecommenderApp {
  database: TestDatabase;
  nats: TestNats;
  app: ServiceApp;
  /** The instance's HTTP base URL (/metrics, /health). */
  url: string;
  rpc: RpcClient;
  publisher: EventPublisher;
  prisma: PrismaClient;
  /** Connected to the test's database; the service's tables are in schema `recommender`. */
  sql: pg.Client;
  /**
   * Logs a decision and ends it at once, so the user may get another on the same channel
   * (one open tip per user and channel); returns the tip id.
   */
  logTip(spec: TipSpec): Promise<string>;
  react(tipId: string, reaction: ReactionSpec): Promise<void>;
  /** The `user.signed_up` auth publishes, dated `at`. */
  signedUp(userId: string, at: string): Envelope<'user.signed_up'>;
  /**
   * Puts an event already published into SIGNALS again under another `Nats-Msg-Id`, so the
   * stream keeps it: the consumer gets the same envelope (same id) twice, as on a redelivery.
   */
  deliverAgain(envelope: Envelope): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One recommender instance in this process, on a scratch database and NATS namespace.
 * `options.clock` is the time its rewards sweeper goes by: a test that seeds tips served in
 * the past sets it near them, or the sweeper (it runs at start) expires them meanwhile.
 */
export async function startRecommender(
  label: string,
  options: RecommenderAppOptions = {},
): Promise<RecommenderApp> {
  const database = await createTestDatabase({
    services: ['recommender'],
    connectionString: (await testInfrastructure()).databaseUrl,
  });
  const nats = await createTestNats(label);
  const env = await serviceTestEnv(nats, {
    DATABASE_URL: database.url,
    PORT: String(await freePort()),
  });
  const app = await createApp(loadRecommenderEnv(env), options);
  const url = await app.start();
  const prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  const tips = new TipRepository(prisma);
  const publisher = new EventPublisher(nats.js, nats.topology);

  return {
    database,
    nats,
    app,
    url,
    rpc: new RpcClient(nats.nc, nats.topology),
    publisher,
    prisma,
    sql,
    async logTip({ userId, policy, servedAt }) {
      const taskId = `task-${randomUUID()}`;
      const features = [1, 0.5, 0];
      const tip: NewTip = {
        userId,
        channel: 'web',
        taskId,
        provider: 'todoist',
        title: `A task of ${userId}`,
        priority: 2,
        due: null,
        url: null,
        policy,
        propensity: 0.5,
        features,
        shadow: null,
        seed: 7n,
        candidateCount: 2,
        latencyMs: 3,
        servedAt: new Date(servedAt),
        scores: [{ policy, taskId, features, mean: 0.2, bonus: 0.1, ucb: 0.3 }],
      };
      const { created, tip: stored } = await tips.createTip(tip);
      if (!created) throw new Error(`${userId} already had an open tip`);
      await tips.endTip(stored.id, 'task_gone', new Date(servedAt));
      return stored.id;
    },
    async react(tipId, reaction) {
      const { reactedAt, ...rest } = reaction;
      await prisma.tipReaction.create({
        data: {
          tipId,
          ...rest,
          reactedAt: new Date(reactedAt ?? Date.now()),
          eventId: randomUUID(),
        },
      });
    },
    signedUp(userId, at) {
      return createEnvelope('user.signed_up', userId, {}, { occurredAt: new Date(at) });
    },
    async deliverAgain(envelope) {
      const subject = nats.topology.wire(signalSubject(envelope.type, envelope.userId));
      await nats.js.publish(subject, JSON.stringify(envelope), {
        msgID: `again-${randomUUID()}`,
      });
    },
    async stop() {
      await app.stop();
      await sql.end();
      await prisma.$disconnect();
      await nats.cleanup();
      await database.drop();
    },
  };
}
