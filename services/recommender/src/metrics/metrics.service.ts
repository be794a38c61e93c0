import { Injectable } from '@nestjs/common';
import type { RecommenderMetricsRequest, RecommenderMetricsResponse } from '@oo/contracts';
import { assembleDailyMetrics } from './daily-metrics.js';
import { DailyMetricsRepository } from './daily-metrics.repository.js';
import { metricsDays } from './metrics-range.js';

/** `rpc.recommender.metrics`: the daily baseline (activation, reaction rate, reward) by policy. */
@Injectable()
export class MetricsService {
  constructor(private readonly repository: DailyMetricsRepository) {}

  async metrics({ since, until }: RecommenderMetricsRequest): Promise<RecommenderMetricsResponse> {
    const days = metricsDays(since, until);
    const rows = await this.repository.rows(since, until);
    return { since, until, days: assembleDailyMetrics(days, rows) };
  }
}
