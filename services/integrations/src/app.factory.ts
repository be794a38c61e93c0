import { Redis } from 'ioredis';
import { createRedisClient, createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { createPrismaAdapter } from '@oo/database';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck, redisHealthCheck } from '@oo/observability';
import { ConnectModule } from './connect/connect.module.js';
import { ConnectionsModule } from './connections/connections.module.js';
import { SyncModule } from './sync/sync.module.js';
import { loadIntegrationsEnv, INTEGRATIONS_ENV, type IntegrationsEnv } from './config/env.js';

/** Builds the integrations service; `main.ts` and the tests boot the same app. */
export async function createApp(env: IntegrationsEnv = loadIntegrationsEnv()): Promise<ServiceApp> {
  const redis = createRedisClient(env.REDIS_URL, env.OO_NAMESPACE, 'integrations');
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(env.DATABASE_URL, 'integrations'),
  });
  return createServiceApp({
    service: 'integrations',
    env,
    // Not yet a purge: connect writes `connection` rows now, but this still confirms at once
    // without deleting them (the purge is planned work of issue 9).
    // The purge (revoke at the provider, then delete rows and cache) goes here.
    imports: [
      ConnectionsModule,
      ConnectModule,
      SyncModule,
      UserErasureModule.forRoot({ useFactory: () => () => Promise.resolve() }),
    ],
    stores: [
      { provide: INTEGRATIONS_ENV, useValue: env },
      { provide: Redis, useValue: redis },
      { provide: PrismaClient, useValue: prisma },
    ],
    healthChecks: [redisHealthCheck(redis), postgresHealthCheck(() => prisma.$queryRaw`SELECT 1`)],
    onShutdown: [() => redis.quit(), () => prisma.$disconnect()],
  });
}
