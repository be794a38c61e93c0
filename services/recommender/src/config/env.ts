import { baseEnvSchema, defaultPort, loadEnv, port, z } from '@oo/config';

/** Recommender's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const recommenderEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('recommender')),
  /** How long a decision waits for the scorer before the random policy decides instead. */
  RECOMMENDER_SCORER_TIMEOUT_MS: z.coerce.number().int().positive().max(10_000).default(100),
  /**
   * The scorer's exploration rate, the same variable the scorer reads: shadow choices and
   * off-policy evaluation compute a model policy's propensities with it.
   */
  SCORER_EPSILON: z.coerce.number().min(0).max(1).default(0.05),
  /** A tip with no terminal reaction this long after it was served is recorded as `expired`. */
  TIP_EXPIRY_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /**
   * How often the rewards sweeper runs: expiring tips, relaying unpublished feedback and
   * forgetting holds that ran out.
   */
  RECOMMENDER_SWEEP_INTERVAL_SECONDS: z.coerce.number().positive().max(3_600).default(60),
  /**
   * How long an open tip's task, once seen open at integrations, is served again without
   * asking integrations (events end a tip whose task left sooner); 0 asks on every re-serve.
   */
  RECOMMENDER_OPEN_TASK_RECHECK_SECONDS: z.coerce.number().min(0).max(3_600).default(30),
  /** How long a dismissed task stays out of the candidates. */
  RECOMMENDER_DISMISS_COOLOFF_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
});

export type RecommenderEnv = z.infer<typeof recommenderEnvSchema>;

/** Injection token of the validated environment. */
export const RECOMMENDER_ENV = Symbol('RECOMMENDER_ENV');

export function loadRecommenderEnv(
  source: Record<string, string | undefined> = process.env,
): RecommenderEnv {
  return loadEnv(recommenderEnvSchema, source);
}
