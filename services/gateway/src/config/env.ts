import { fileURLToPath } from 'node:url';
import { baseEnvSchema, defaultPort, httpUrl, loadEnv, port, z } from '@oo/config';

/** `web/dist` of this workspace (or of a production bundle, which keeps the layout). */
const BUILT_WEB_APP = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

/** Gateway's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const gatewayEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('gateway')),
  /** Where `/auth/*` is proxied: the auth service's own HTTP port. */
  AUTH_URL: httpUrl('http://127.0.0.1:3001'),
  /** Requests per minute one IP address, and one signed-in user, may make (all instances together). */
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /**
   * Webhook deliveries per minute from one address: a provider sends every user's events from
   * a few addresses, so they get their own, much larger budget (signed; integrations checks).
   */
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: z.coerce.number().int().positive().default(30_000),
  /**
   * Webhook deliveries per minute from one address that integrations may refuse as wrongly
   * signed before that address is answered 429 (not forwarded) for the rest of the minute: a
   * provider never signs wrongly, so only forgers reach it.
   */
  RATE_LIMIT_WEBHOOK_REFUSALS_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Load balancers in front of the gateway: the client address is that many hops back. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** The built SPA the gateway serves (`npm run web:build`); required in production. */
  WEB_APP_DIR: z.string().min(1).default(BUILT_WEB_APP),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

/** Injection token of the validated environment. */
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');

export function loadGatewayEnv(
  source: Record<string, string | undefined> = process.env,
): GatewayEnv {
  return loadEnv(gatewayEnvSchema, source);
}
