import { Module, type DynamicModule } from '@nestjs/common';
import { PrismaClient } from './generated/prisma/client.js';
import type { AuthEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const AUTH_ENV = Symbol('AUTH_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface AuthStores {
  env: AuthEnv;
  prisma: PrismaClient;
}

/**
 * The auth service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: AuthStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: AUTH_ENV, useValue: stores.env },
        { provide: PrismaClient, useValue: stores.prisma },
      ],
      exports: [AUTH_ENV, PrismaClient],
    };
  }
}
