import type { Redis } from 'ioredis';
import type { IntegrationsEnv } from '../config/env.js';
import { TodoistRateBudget } from './rate-budget.js';
import { TodoistApiClient } from './todoist-api.client.js';

type ClientEnv = Pick<
  IntegrationsEnv,
  | 'TODOIST_API_URL'
  | 'TODOIST_BUDGET_REQUESTS'
  | 'TODOIST_BUDGET_WINDOW_SECONDS'
  | 'TODOIST_TIMEOUT_MS'
>;

/** The client as the service runs it: its budget in the service's Redis, sized by the env. */
export function createTodoistApiClient(env: ClientEnv, redis: Redis): TodoistApiClient {
  const budget = new TodoistRateBudget(redis, {
    limit: env.TODOIST_BUDGET_REQUESTS,
    windowSeconds: env.TODOIST_BUDGET_WINDOW_SECONDS,
    // A request may reach Todoist until its timeout: hold its slot that much longer.
    latencyAllowanceMs: env.TODOIST_TIMEOUT_MS,
  });
  return new TodoistApiClient({
    baseUrl: env.TODOIST_API_URL,
    budget,
    timeoutMs: env.TODOIST_TIMEOUT_MS,
  });
}
