import { Redis } from 'ioredis';
import { policyRegistry } from '@oo/learning';
import { createRedisClient, createServiceApp, type ServiceApp } from '@oo/platform';
import { UserErasureModule } from '@oo/erasure';
import { ModelRepository } from './store/model.repository.js';
import { redisHealthCheck } from '@oo/observability';
import { PriorService } from './prior/prior.service.js';
import { ScorerModule } from './scorer.module.js';
import { loadScorerEnv, SCORER_ENV, type ScorerEnv } from './config/env.js';

/** Builds the scorer service; `main.ts` and the tests boot the same app. */
export async function createApp(env: ScorerEnv = loadScorerEnv()): Promise<ServiceApp> {
  const redis = createRedisClient(env.REDIS_URL, env.OO_NAMESPACE, 'scorer');
  return createServiceApp({
    service: 'scorer',
    env,
    imports: [
      ScorerModule,
      UserErasureModule.forRoot({
        imports: [ScorerModule],
        inject: [ModelRepository, PriorService],
        useFactory: (models: ModelRepository, prior: PriorService) => async (userId: string) => {
          await models.erase(userId, policyRegistry.names());
          // The population prior was estimated with this user's model too: not for long.
          prior.noteErased();
        },
      }),
    ],
    stores: [
      { provide: SCORER_ENV, useValue: env },
      { provide: Redis, useValue: redis },
    ],
    healthChecks: [redisHealthCheck(redis)],
    onShutdown: [() => redis.quit()],
  });
}
