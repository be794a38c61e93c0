import type { HealthCheck } from './health.js';

/**
 * What `/health` (readiness) runs: the stores the service was built with, plus whatever its
 * features need before they can answer (the gateway's session keys, say). A feature injects this
 * and adds its check when it is constructed, so readiness names every dependency that can make
 * a request fail, not only the stores.
 */
export class ReadinessChecks {
  private readonly checks: HealthCheck[] = [];

  constructor(stores: readonly HealthCheck[] = []) {
    for (const check of stores) this.add(check);
  }

  add(check: HealthCheck): void {
    if (this.checks.some((existing) => existing.name === check.name)) {
      // Two checks with one name would hide each other in the report.
      throw new Error(`readiness check '${check.name}' is registered twice`);
    }
    this.checks.push(check);
  }

  all(): readonly HealthCheck[] {
    return this.checks;
  }
}
