import { createRedisClient, createServiceApp, type ServiceApp } from '@oo/platform';
import { redisHealthCheck } from '@oo/observability';
import { AppModule } from './app.module.js';
import { loadGatewayEnv, type GatewayEnv } from './config/env.js';

/** Builds the gateway service; `main.ts` and the tests boot the same app. */
export async function createApp(env: GatewayEnv = loadGatewayEnv()): Promise<ServiceApp> {
  const redis = createRedisClient(env.REDIS_URL, env.OO_NAMESPACE, 'gateway');
  return createServiceApp({
    service: 'gateway',
    env,
    imports: [AppModule.register({ env, redis })],
    healthChecks: [redisHealthCheck(redis)],
    onShutdown: [() => redis.quit()],
  });
}
