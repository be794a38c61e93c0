import { Module } from '@nestjs/common';
import { DecisionLogRepository } from './decision-log.repository.js';
import { EvaluationController } from './evaluation.controller.js';
import { EvaluationService } from './evaluation.service.js';

/** `rpc.recommender.evaluate`: off-policy estimates from the tip log. */
@Module({
  controllers: [EvaluationController],
  providers: [DecisionLogRepository, EvaluationService],
  exports: [EvaluationService],
})
export class EvaluationModule {}
