import {
  baseEnvSchema,
  encryptionKeys,
  httpUrl,
  loadEnv,
  defaultPort,
  port,
  randomKey,
  requiredInProduction,
  z,
} from '@oo/config';

/** Integrations's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const integrationsEnvSchema = baseEnvSchema
  .extend({
    PORT: port(defaultPort('integrations')),
    TODOIST_CLIENT_ID: z.string().default(''),
    TODOIST_CLIENT_SECRET: z.string().default(''),
    TODOIST_API_URL: httpUrl('https://api.todoist.com/api/v1'),
    TODOIST_OAUTH_URL: httpUrl('https://todoist.com/oauth'),
    TOKEN_ENCRYPTION_KEYS: encryptionKeys(),
    // Todoist allows 1,000 requests per 15 minutes per user; lower it to keep headroom.
    TODOIST_BUDGET_REQUESTS: z.coerce.number().int().positive().default(1000),
    TODOIST_BUDGET_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
    TODOIST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    // How often every connection is synced (and so reconciled) even if nobody asks for tasks.
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().positive().default(600),
  })
  .superRefine(requiredInProduction('TODOIST_CLIENT_ID', 'TODOIST_CLIENT_SECRET'));

export type IntegrationsEnv = z.infer<typeof integrationsEnvSchema>;

/** Injection token of the validated environment. */
export const INTEGRATIONS_ENV = Symbol('INTEGRATIONS_ENV');

export function loadIntegrationsEnv(
  source: Record<string, string | undefined> = process.env,
): IntegrationsEnv {
  return loadEnv(integrationsEnvSchema, source, {
    devSecrets: { TOKEN_ENCRYPTION_KEYS: () => `k1:${randomKey()}` },
  });
}
