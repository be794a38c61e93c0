import { Module, type DynamicModule } from '@nestjs/common';
import { PrismaClient } from './generated/prisma/client.js';
import { Redis } from 'ioredis';
import type { IntegrationsEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const INTEGRATIONS_ENV = Symbol('INTEGRATIONS_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface IntegrationsStores {
  env: IntegrationsEnv;
  redis: Redis;
  prisma: PrismaClient;
}

/**
 * The integrations service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: IntegrationsStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: INTEGRATIONS_ENV, useValue: stores.env },
        { provide: Redis, useValue: stores.redis },
        { provide: PrismaClient, useValue: stores.prisma },
      ],
      exports: [INTEGRATIONS_ENV, Redis, PrismaClient],
    };
  }
}
