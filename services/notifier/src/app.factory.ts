import { Redis } from 'ioredis';
import { createRedisClient, createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { createPrismaAdapter } from '@oo/database';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck, redisHealthCheck } from '@oo/observability';
import { loadNotifierEnv, NOTIFIER_ENV, type NotifierEnv } from './config/env.js';
import { UserPushData } from './erasure/user-push-data.js';
import { PushModule } from './push.module.js';

/** Builds the notifier service; `main.ts` and the tests boot the same app. */
export async function createApp(env: NotifierEnv = loadNotifierEnv()): Promise<ServiceApp> {
  const redis = createRedisClient(env.REDIS_URL, env.OO_NAMESPACE, 'notifier');
  const prisma = new PrismaClient({ adapter: createPrismaAdapter(env.DATABASE_URL, 'notifier') });
  return createServiceApp({
    service: 'notifier',
    env,
    imports: [
      PushModule,
      UserErasureModule.forRoot({
        imports: [PushModule],
        inject: [UserPushData],
        useFactory: (data: UserPushData) => (userId: string) => data.purge(userId),
      }),
    ],
    stores: [
      { provide: NOTIFIER_ENV, useValue: env },
      { provide: Redis, useValue: redis },
      { provide: PrismaClient, useValue: prisma },
    ],
    healthChecks: [redisHealthCheck(redis), postgresHealthCheck(() => prisma.$queryRaw`SELECT 1`)],
    onShutdown: [() => redis.quit(), () => prisma.$disconnect()],
  });
}
