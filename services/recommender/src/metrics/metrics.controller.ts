import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type RecommenderMetricsRequest,
  type RecommenderMetricsResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { MetricsService } from './metrics.service.js';

/** `rpc.recommender.metrics`: the request is checked against schemas/rpc before it gets here. */
@Controller()
export class MetricsController {
  constructor(private readonly service: MetricsService) {}

  @MessagePattern(RPC.recommender.metrics)
  metrics(
    @Payload(new RpcContractPipe(RPC.recommender.metrics)) request: RecommenderMetricsRequest,
  ): Promise<RecommenderMetricsResponse> {
    return this.service.metrics(request);
  }
}
