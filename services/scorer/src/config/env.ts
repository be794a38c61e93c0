import { baseEnvSchema, defaultPort, loadEnv, port, z } from '@oo/config';

/** Scorer's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const scorerEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('scorer')),
  SCORER_ALPHA: z.coerce.number().positive().default(1),
  SCORER_EPSILON: z.coerce.number().min(0).max(1).default(0.05),
  /**
   * How often each instance checks whether the population prior is due a new estimate: once
   * enough new reactions came in (at most every three checks), and every 10 minutes anyway.
   */
  SCORER_PRIOR_CHECK_SECONDS: z.coerce.number().positive().max(600).default(10),
});

export type ScorerEnv = z.infer<typeof scorerEnvSchema>;

/** Injection token of the validated environment. */
export const SCORER_ENV = Symbol('SCORER_ENV');

export function loadScorerEnv(source: Record<string, string | undefined> = process.env): ScorerEnv {
  return loadEnv(scorerEnvSchema, source);
}
