import { Module } from '@nestjs/common';
import { TaskHoldRepository } from '../holds/task-hold.repository.js';
import { RecommenderMetrics } from '../metrics/recommender.metrics.js';
import { DecisionStateReader } from '../tips/decision-state.reader.js';
import { TipRepository } from '../tips/tip.repository.js';
import { PolicyDecider } from './policy-decider.js';
import { RecommendController } from './recommend.controller.js';
import { RecommendService } from './recommend.service.js';
import { ServedRelay } from './served-relay.js';
import { UserClock } from './user-clock.js';

/** Deciding and serving the one tip (`rpc.recommender.recommend`, `rpc.recommender.tip`). */
@Module({
  controllers: [RecommendController],
  providers: [
    RecommendService,
    ServedRelay,
    PolicyDecider,
    UserClock,
    TipRepository,
    DecisionStateReader,
    TaskHoldRepository,
    RecommenderMetrics,
  ],
  exports: [RecommendService, TipRepository, TaskHoldRepository, RecommenderMetrics],
})
export class DecidingModule {}
