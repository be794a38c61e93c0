import { Module, type DynamicModule } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ScorerEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const SCORER_ENV = Symbol('SCORER_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface ScorerStores {
  env: ScorerEnv;
  redis: Redis;
}

/**
 * The scorer service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: ScorerStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: SCORER_ENV, useValue: stores.env },
        { provide: Redis, useValue: stores.redis },
      ],
      exports: [SCORER_ENV, Redis],
    };
  }
}
