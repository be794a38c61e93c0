import { baseEnvSchema, defaultPort, loadEnv, port, type z } from '@oo/config';

/** Profile's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const profileEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('profile')),
});

export type ProfileEnv = z.infer<typeof profileEnvSchema>;

/** Injection token of the validated environment. */
export const PROFILE_ENV = Symbol('PROFILE_ENV');

export function loadProfileEnv(
  source: Record<string, string | undefined> = process.env,
): ProfileEnv {
  return loadEnv(profileEnvSchema, source);
}
