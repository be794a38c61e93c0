import { Controller, Get, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { runHealthChecks, type HealthCheck } from './health.js';
import { Public } from '@oo/access';

/** Injection tokens: the service's health checks and its metrics registry. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

@Controller()
@Public()
class ObservabilityController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    private readonly registry: Registry,
  ) {}

  /** Readiness: 200 when every dependency answers, 503 with the failing ones otherwise. */
  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const report = await runHealthChecks(this.service, this.checks);
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
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
        { provide: HEALTH_CHECKS, useValue: options.checks },
        { provide: Registry, useValue: options.registry },
      ],
      exports: [Registry, SERVICE_NAME],
    };
  }
}
