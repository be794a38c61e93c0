import { Redis } from 'ioredis';
import { createRedisClient, createServiceApp, type ServiceApp } from '@oo/platform';
import { redisHealthCheck } from '@oo/observability';
import { GatewayModule } from './gateway.module.js';
import { registerEdgePlugins } from './http/edge-plugins.js';
import { keepRawBodies } from './http/raw-body.js';
import { loadGatewayEnv, GATEWAY_ENV, type GatewayEnv } from './config/env.js';
import { serveWebApp } from './web-app/serve-web-app.js';
import { loadWebAppFiles } from './web-app/web-app-files.js';

/** Builds the gateway service; `main.ts` and the tests boot the same app. */
export async function createApp(env: GatewayEnv = loadGatewayEnv()): Promise<ServiceApp> {
  const webApp = await loadWebAppFiles(env.WEB_APP_DIR);
  if (!webApp && env.OO_ENV === 'production') {
    throw new Error(`WEB_APP_DIR ${env.WEB_APP_DIR} holds no built web app (no index.html)`);
  }
  const redis = createRedisClient(env.REDIS_URL, env.OO_NAMESPACE, 'gateway');
  const service = await createServiceApp({
    service: 'gateway',
    env,
    imports: [GatewayModule],
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    stores: [
      { provide: GATEWAY_ENV, useValue: env },
      { provide: Redis, useValue: redis },
    ],
    healthChecks: [redisHealthCheck(redis)],
    onShutdown: [() => redis.quit()],
  });
  const fastify = service.app.getHttpAdapter().getInstance();
  keepRawBodies(fastify);
  if (webApp) serveWebApp(fastify, webApp);
  else service.logger.warn(`no built web app in ${env.WEB_APP_DIR}: serving the API only`);
  await registerEdgePlugins(service.app, redis, {
    requestsPerIpPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
    webhooksPerIpPerMinute: env.RATE_LIMIT_WEBHOOKS_PER_MINUTE,
    production: env.OO_ENV === 'production',
  });
  return service;
}
