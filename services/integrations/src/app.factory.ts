import { Redis } from 'ioredis';
import { createRedisClient, createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { createPrismaAdapter } from '@oo/database';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck, redisHealthCheck } from '@oo/observability';
import { ConnectModule } from './connect/connect.module.js';
import { ConnectionsModule } from './connections/connections.module.js';
import { SyncModule } from './sync/sync.module.js';
import { CloseModule } from './close/close.module.js';
import { ReconcileModule } from './reconcile/reconcile.module.js';
import { UserDataPurge } from './erasure/user-data.purge.js';
import { DisconnectModule } from './disconnect/disconnect.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { ConnectionRemoval } from './disconnect/connection-removal.js';
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
    imports: [
      ConnectionsModule,
      ConnectModule,
      SyncModule,
      ReconcileModule,
      DisconnectModule,
      CloseModule,
      WebhooksModule,
      // Deletion removes what disconnect removes, for every provider, and revokes the grants.
      UserErasureModule.forRoot({
        imports: [DisconnectModule],
        inject: [ConnectionRemoval],
        useFactory: (removal: ConnectionRemoval) => {
          const data = new UserDataPurge(removal);
          return (userId: string) => data.purge(userId);
        },
      }),
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
