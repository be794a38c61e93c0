export { createLogger, PinoNestLogger } from './logger.js';
export {
  postgresHealthCheck,
  redisHealthCheck,
  runHealthChecks,
  type CheckResult,
  type HealthCheck,
  type HealthReport,
} from './health.js';
export { ReadinessChecks } from './readiness-checks.js';
export {
  createMetricsRegistry,
  ObservabilityModule,
  SERVICE_NAME,
  type ObservabilityOptions,
} from './observability.module.js';
