import { Controller, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type ResetRequest,
  type ResetResponse,
  type ScoreRequest,
  type ScoreResponse,
  type StatsRequest,
  type StatsResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { RpcOutcomeInterceptor } from './rpc-outcome.interceptor.js';
import { ScoringService } from './scoring.service.js';

/** `rpc.scorer.*`: requests are checked against schemas/rpc before they reach the service. */
@Controller()
@UseInterceptors(RpcOutcomeInterceptor)
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

  @MessagePattern(RPC.scorer.score)
  score(
    @Payload(new RpcContractPipe(RPC.scorer.score)) request: ScoreRequest,
  ): Promise<ScoreResponse> {
    return this.scoring.score(request);
  }

  @MessagePattern(RPC.scorer.stats)
  stats(
    @Payload(new RpcContractPipe(RPC.scorer.stats)) request: StatsRequest,
  ): Promise<StatsResponse> {
    return this.scoring.stats(request);
  }

  @MessagePattern(RPC.scorer.reset)
  reset(
    @Payload(new RpcContractPipe(RPC.scorer.reset)) request: ResetRequest,
  ): Promise<ResetResponse> {
    return this.scoring.reset(request);
  }
}
