import { Module, type DynamicModule } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { GatewayEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface GatewayStores {
  env: GatewayEnv;
  redis: Redis;
}

/**
 * The gateway service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: GatewayStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: GATEWAY_ENV, useValue: stores.env },
        { provide: Redis, useValue: stores.redis },
      ],
      exports: [GATEWAY_ENV, Redis],
    };
  }
}
