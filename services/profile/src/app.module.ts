import { Module, type DynamicModule } from '@nestjs/common';
import { PrismaClient } from './generated/prisma/client.js';
import type { ProfileEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const PROFILE_ENV = Symbol('PROFILE_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface ProfileStores {
  env: ProfileEnv;
  prisma: PrismaClient;
}

/**
 * The profile service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: ProfileStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: PROFILE_ENV, useValue: stores.env },
        { provide: PrismaClient, useValue: stores.prisma },
      ],
      exports: [PROFILE_ENV, PrismaClient],
    };
  }
}
