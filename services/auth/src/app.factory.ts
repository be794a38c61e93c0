import { createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { AccountRepository } from './accounts/account.repository.js';
import { createPrismaAdapter } from '@oo/database';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck } from '@oo/observability';
import { AuthModule } from './auth.module.js';
import { loadAuthEnv, AUTH_ENV, type AuthEnv } from './config/env.js';

/** Builds the auth service; `main.ts` and the tests boot the same app. */
export async function createApp(env: AuthEnv = loadAuthEnv()): Promise<ServiceApp> {
  const prisma = new PrismaClient({ adapter: createPrismaAdapter(env.DATABASE_URL, 'auth') });
  return createServiceApp({
    service: 'auth',
    env,
    imports: [
      AuthModule,
      UserErasureModule.forRoot({
        imports: [AuthModule],
        inject: [AccountRepository],
        useFactory: (accounts: AccountRepository) => (userId: string) => accounts.purge(userId),
      }),
    ],
    stores: [
      { provide: AUTH_ENV, useValue: env },
      { provide: PrismaClient, useValue: prisma },
    ],
    healthChecks: [postgresHealthCheck(() => prisma.$queryRaw`SELECT 1`)],
    onShutdown: [() => prisma.$disconnect()],
  });
}
