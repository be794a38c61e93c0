import { baseEnvSchema, defaultPort, loadEnv, port, z } from '@oo/config';
import { DEFAULT_EXPLORATION } from '@oo/learning';

/** Scorer's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const scorerEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('scorer')),
  /** UCB width and share of uniform picks while the population has no prior for a policy. */
  SCORER_ALPHA: z.coerce.number().positive().default(DEFAULT_EXPLORATION.alpha),
  SCORER_EPSILON: z.coerce.number().min(0).max(1).default(DEFAULT_EXPLORATION.epsilon),
  /** The same once it has one (DEFAULT_EXPLORATION says why these). */
  SCORER_ALPHA_WITH_PRIOR: z.coerce.number().positive().default(DEFAULT_EXPLORATION.alphaWithPrior),
  SCORER_EPSILON_WITH_PRIOR: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_EXPLORATION.epsilonWithPrior),
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
