import { Controller, Get, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { runHealthChecks, type HealthCheck } from './health.js';
import { Public } from '@oo/access';
import { ReadinessChecks } from './readiness-checks.js';

/** Injection token: the service's name, as it appears in logs, metrics and health reports. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

@Controller()
@Public()
class ObservabilityController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    private readonly readiness: ReadinessChecks,
    private readonly registry: Registry,
  ) {}

  /**
   * Readiness: 200 when the service can serve (every store answers and every feature has what
   * it needs), 503 naming what is missing otherwise. Load balancers send traffic on this.
   */
  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const report = await runHealthChecks(this.service, this.readiness.all());
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  /**
   * Liveness: the process is up and its event loop answers. No dependency is checked, so a
   * store outage makes the service unready, never restarted in a loop.
   */
  @Get('health/live')
  live(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.service };
  }

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('content-type', this.registry.contentType)
      .send(await this.registry.metrics());
  }
}

export interface ObservabilityOptions {
  service: string;
  registry: Registry;
  /** The stores the service uses; features add their own through `ReadinessChecks`. */
  checks: HealthCheck[];
}

/** A metrics registry per app (not prom-client's global), so tests can boot several apps. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [ObservabilityController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: ReadinessChecks, useValue: new ReadinessChecks(options.checks) },
        { provide: Registry, useValue: options.registry },
      ],
      exports: [Registry, SERVICE_NAME, ReadinessChecks],
    };
  }
}
