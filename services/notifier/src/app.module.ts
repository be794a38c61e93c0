import { Module, type DynamicModule } from '@nestjs/common';
import { PrismaClient } from './generated/prisma/client.js';
import { Redis } from 'ioredis';
import type { NotifierEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const NOTIFIER_ENV = Symbol('NOTIFIER_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface NotifierStores {
  env: NotifierEnv;
  redis: Redis;
  prisma: PrismaClient;
}

/**
 * The notifier service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: NotifierStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: NOTIFIER_ENV, useValue: stores.env },
        { provide: Redis, useValue: stores.redis },
        { provide: PrismaClient, useValue: stores.prisma },
      ],
      exports: [NOTIFIER_ENV, Redis, PrismaClient],
    };
  }
}
