import { createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { createPrismaAdapter } from '@oo/database';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck } from '@oo/observability';
import { loadRecommenderEnv, RECOMMENDER_ENV, type RecommenderEnv } from './config/env.js';
import { EvaluationModule } from './evaluation/evaluation.module.js';

/** Builds the recommender service; `main.ts` and the tests boot the same app. */
export async function createApp(env: RecommenderEnv = loadRecommenderEnv()): Promise<ServiceApp> {
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(env.DATABASE_URL, 'recommender'),
  });
  return createServiceApp({
    service: 'recommender',
    env,
    imports: [
      // Holds nothing of a user yet: it confirms at once. Its purge goes here with its data.
      UserErasureModule.forRoot({ useFactory: () => () => Promise.resolve() }),
      EvaluationModule,
    ],
    stores: [
      { provide: RECOMMENDER_ENV, useValue: env },
      { provide: PrismaClient, useValue: prisma },
    ],
    healthChecks: [postgresHealthCheck(() => prisma.$queryRaw`SELECT 1`)],
    onShutdown: [() => prisma.$disconnect()],
  });
}
