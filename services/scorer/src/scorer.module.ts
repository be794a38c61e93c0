import { Module } from '@nestjs/common';
import { FeedbackConsumer } from './learning/feedback.consumer.js';
import { LearningService } from './learning/learning.service.js';
import { ScorerMetrics } from './metrics/scorer.metrics.js';
import { PriorService } from './prior/prior.service.js';
import { RpcOutcomeInterceptor } from './scoring/rpc-outcome.interceptor.js';
import { ScoreRoute } from './scoring/score.route.js';
import { ScoringController } from './scoring/scoring.controller.js';
import { ScoringService } from './scoring/scoring.service.js';
import { ModelRepository } from './store/model.repository.js';
import { PriorRepository } from './store/prior.repository.js';
import { TrackedModelReads } from './store/tracked-model-reads.js';

@Module({
  controllers: [ScoringController, FeedbackConsumer],
  providers: [
    ScoringService,
    ScoreRoute,
    LearningService,
    PriorService,
    ModelRepository,
    PriorRepository,
    TrackedModelReads,
    ScorerMetrics,
    RpcOutcomeInterceptor,
  ],
  exports: [PriorService, ModelRepository],
})
export class ScorerModule {}
