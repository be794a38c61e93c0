import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type RecommendRequest,
  type RecommendResponse,
  type RecommenderTipRequest,
  type RecommenderTipResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { RecommendService } from './recommend.service.js';
import { tipView } from './tip-view.js';

/** `rpc.recommender.*` for tips: requests are checked against schemas/rpc first. */
@Controller()
export class RecommendController {
  constructor(private readonly recommender: RecommendService) {}

  @MessagePattern(RPC.recommender.recommend)
  recommend(
    @Payload(new RpcContractPipe(RPC.recommender.recommend)) request: RecommendRequest,
  ): Promise<RecommendResponse> {
    return this.recommender.recommend(request);
  }

  @MessagePattern(RPC.recommender.tip)
  async tip(
    @Payload(new RpcContractPipe(RPC.recommender.tip)) request: RecommenderTipRequest,
  ): Promise<RecommenderTipResponse> {
    return { tip: tipView(await this.recommender.tipOf(request.userId, request.tipId)) };
  }
}
