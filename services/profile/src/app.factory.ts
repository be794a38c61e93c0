import { createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { ProfileRepository } from './profiles/profile.repository.js';
import { createPrismaAdapter } from '@oo/database';
import { PrismaClient } from './generated/prisma/client.js';
import { postgresHealthCheck } from '@oo/observability';
import { ProfilesModule } from './profiles/profiles.module.js';
import { loadProfileEnv, PROFILE_ENV, type ProfileEnv } from './config/env.js';

/** Builds the profile service; `main.ts` and the tests boot the same app. */
export async function createApp(env: ProfileEnv = loadProfileEnv()): Promise<ServiceApp> {
  const prisma = new PrismaClient({ adapter: createPrismaAdapter(env.DATABASE_URL, 'profile') });
  return createServiceApp({
    service: 'profile',
    env,
    imports: [
      ProfilesModule,
      UserErasureModule.forRoot({
        imports: [ProfilesModule],
        inject: [ProfileRepository],
        useFactory: (profiles: ProfileRepository) => (userId: string) => profiles.purge(userId),
      }),
    ],
    stores: [
      { provide: PROFILE_ENV, useValue: env },
      { provide: PrismaClient, useValue: prisma },
    ],
    healthChecks: [postgresHealthCheck(() => prisma.$queryRaw`SELECT 1`)],
    onShutdown: [() => prisma.$disconnect()],
  });
}
