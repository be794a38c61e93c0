import { createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { createPrismaAdapter, createServicePool } from '@oo/database';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck } from '@oo/observability';
import { DecidingModule } from './deciding/deciding.module.js';
import { PushingModule } from './pushing/pushing.module.js';
import { ReactingModule } from './reacting/reacting.module.js';
import { CLOCK, systemClock, type Clock } from './rewards/clock.js';
import { RewardsModule } from './rewards/rewards.module.js';
import { loadRecommenderEnv, RECOMMENDER_ENV, type RecommenderEnv } from './config/env.js';
import { ErasureModule } from './erasure/erasure.module.js';
import { UserDataPurge } from './erasure/user-data.purge.js';
import { EvaluationModule } from './evaluation/evaluation.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SignupsModule } from './signups/signups.module.js';
import { TaskSetModule } from './task-set/task-set.module.js';

export interface RecommenderAppOptions {
  /** The time the rewards path goes by (expiry, the sweeper); tests move it. */
  clock?: Clock;
}

/** Builds the recommender service; `main.ts` and the tests boot the same app. */
export async function createApp(
  env: RecommenderEnv = loadRecommenderEnv(),
  options: RecommenderAppOptions = {},
): Promise<ServiceApp> {
  // One pool: Prisma's, which the re-serve's hot read (DecisionStateReader) shares.
  const pool = createServicePool(env.DATABASE_URL, 'recommender');
  const prisma = new PrismaClient({ adapter: createPrismaAdapter(pool, 'recommender') });
  return createServiceApp({
    service: 'recommender',
    env,
    imports: [
      DecidingModule,
      PushingModule,
      ReactingModule,
      RewardsModule,
      SignupsModule,
      TaskSetModule,
      MetricsModule,
      EvaluationModule,
      // Deletion purges every row of the user in the recommender's schema, then confirms.
      UserErasureModule.forRoot({
        imports: [ErasureModule],
        inject: [UserDataPurge],
        useFactory: (data: UserDataPurge) => (userId: string) => data.purge(userId),
      }),
    ],
    stores: [
      { provide: RECOMMENDER_ENV, useValue: env },
      { provide: PrismaClient, useValue: prisma },
      { provide: pg.Pool, useValue: pool },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
    ],
    healthChecks: [postgresHealthCheck(() => prisma.$queryRaw`SELECT 1`)],
    onShutdown: [
      async () => {
        await prisma.$disconnect();
        // Prisma ends the pool only if it ever connected; the reader may have used it alone.
        if (!pool.ended) await pool.end();
      },
    ],
  });
}
