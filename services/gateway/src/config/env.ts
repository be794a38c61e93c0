import { baseEnvSchema, loadEnv, port, type z } from '@oo/config';

/** Gateway's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const gatewayEnvSchema = baseEnvSchema.extend({
  PORT: port(3000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

/** Injection token of the validated environment. */
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');

export function loadGatewayEnv(
  source: Record<string, string | undefined> = process.env,
): GatewayEnv {
  return loadEnv(gatewayEnvSchema, source);
}
