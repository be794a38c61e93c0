import { Module } from '@nestjs/common';
import { DailyMetricsRepository } from './daily-metrics.repository.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** The metrics baseline: `rpc.recommender.metrics` over the views of the decision log. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, DailyMetricsRepository],
})
export class MetricsModule {}
