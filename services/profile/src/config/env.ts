import { baseEnvSchema, loadEnv, port, type z } from '@oo/config';

/** Profile's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const profileEnvSchema = baseEnvSchema.extend({
  PORT: port(3002),
});

export type ProfileEnv = z.infer<typeof profileEnvSchema>;

export function loadProfileEnv(
  source: Record<string, string | undefined> = process.env,
): ProfileEnv {
  return loadEnv(profileEnvSchema, source);
}
