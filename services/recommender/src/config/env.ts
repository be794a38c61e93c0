import { baseEnvSchema, defaultPort, loadEnv, port, type z } from '@oo/config';

/** Recommender's environment (ARCHITECTURE.md §5). The only place that reads process.env. */
export const recommenderEnvSchema = baseEnvSchema.extend({
  PORT: port(defaultPort('recommender')),
});

export type RecommenderEnv = z.infer<typeof recommenderEnvSchema>;

/** Injection token of the validated environment. */
export const RECOMMENDER_ENV = Symbol('RECOMMENDER_ENV');

export function loadRecommenderEnv(
  source: Record<string, string | undefined> = process.env,
): RecommenderEnv {
  return loadEnv(recommenderEnvSchema, source);
}
