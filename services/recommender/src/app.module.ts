import { Module, type DynamicModule } from '@nestjs/common';
import { PrismaClient } from './generated/prisma/client.js';
import type { RecommenderEnv } from './config/env.js';

/** Injection token of the validated environment. */
export const RECOMMENDER_ENV = Symbol('RECOMMENDER_ENV');

/** The clients the service's features use, opened once by the app factory. */
export interface RecommenderStores {
  env: RecommenderEnv;
  prisma: PrismaClient;
}

/**
 * The recommender service: its stores, made available to every feature module. Feature modules
 * (controllers, consumers, services, repositories) are imported here as they are built.
 */
@Module({})
export class AppModule {
  static register(stores: RecommenderStores): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [
        { provide: RECOMMENDER_ENV, useValue: stores.env },
        { provide: PrismaClient, useValue: stores.prisma },
      ],
      exports: [RECOMMENDER_ENV, PrismaClient],
    };
  }
}
