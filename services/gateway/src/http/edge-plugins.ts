import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpErrorBody } from '@oo/platform';
import type { Redis } from 'ioredis';
import { applySecurityHeaders, securityHeaders, type SecurityHeaders } from './security-headers.js';

/**
 * Paths the platform polls (liveness and readiness probes, metric scrapes), often all from one
 * address: never counted nor limited, or a busy probe would be 429'd and the pod pulled.
 */
const PLATFORM_PATHS = new Set(['/health', '/health/live', '/metrics']);

/**
 * Providers' webhook deliveries: one provider sends every user's events from a few addresses,
 * so a user-sized per-IP budget would 429 them (and Todoist retries only after 15 minutes).
 * They are counted in a bucket of their own with a provider-sized limit.
 */
const WEBHOOK_PATH_PREFIX = '/webhooks/';

export interface EdgeOptions {
  requestsPerIpPerMinute: number;
  webhooksPerIpPerMinute: number;
  production: boolean;
}

/**
 * The SPA's policy: its own scripts, styles, worker and manifest only — no inline script or
 * style anywhere (helmet's default style-src would allow 'unsafe-inline' and any https: host).
 * Over plain http (development on localhost) upgrade-insecure-requests is left out: it would
 * send the app's own requests to an https port nothing listens on.
 */
export function edgeSecurityHeaders(production: boolean): SecurityHeaders {
  return securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

const isWebhook = (url: string): boolean => url.startsWith(WEBHOOK_PATH_PREFIX);

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * What every response of the public edge gets before any route runs: security headers, and a
 * per-IP rate limit shared through Redis so that several gateways enforce one budget.
 */
export async function registerEdgePlugins(
  app: NestFastifyApplication,
  redis: Redis,
  options: EdgeOptions,
): Promise<void> {
  applySecurityHeaders(app.getHttpAdapter().getInstance(), edgeSecurityHeaders(options.production));
  await app.register(rateLimit, {
    global: true,
    max: (request) =>
      isWebhook(request.url) ? options.webhooksPerIpPerMinute : options.requestsPerIpPerMinute,
    timeWindow: 60_000,
    redis,
    nameSpace: 'oo:gateway:rate-ip:',
    keyGenerator: (request) => (isWebhook(request.url) ? `webhooks:${request.ip}` : request.ip),
    allowList: (request) => PLATFORM_PATHS.has(pathOf(request.url)),
    // Better to serve without a limit for a moment than to refuse everyone when Redis blips.
    skipOnError: true,
    errorResponseBuilder: (_request, context): HttpErrorBody & { statusCode: number } => ({
      statusCode: 429,
      error: {
        code: 'rate_limited',
        message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`,
      },
    }),
  });
}
