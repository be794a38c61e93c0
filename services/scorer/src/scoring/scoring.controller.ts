import { Controller, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type RefreshPriorRequest,
  type RefreshPriorResponse,
  type ResetRequest,
  type ResetResponse,
  type StatsRequest,
  type StatsResponse,
} from '@oo/contracts';
import { policyRegistry } from '@oo/learning';
import { RpcContractPipe } from '@oo/messaging';
import { PriorService } from '../prior/prior.service.js';
import { RpcOutcomeInterceptor } from './rpc-outcome.interceptor.js';
import { ScoringService } from './scoring.service.js';

/**
 * `rpc.scorer.*` but `score` (on its own route, ScoreRoute): requests are checked against
 * schemas/rpc before they reach the service.
 */
@Controller()
@UseInterceptors(RpcOutcomeInterceptor)
export class ScoringController {
  constructor(
    private readonly scoring: ScoringService,
    private readonly prior: PriorService,
  ) {}

  /** Operators: re-estimate every policy's population prior now (e.g. after a deployment). */
  @MessagePattern(RPC.scorer.refreshPrior)
  async refreshPrior(
    @Payload(new RpcContractPipe(RPC.scorer.refreshPrior)) _request: RefreshPriorRequest,
  ): Promise<RefreshPriorResponse> {
    const estimated = await this.prior.estimate();
    const policies = [...estimated].map(([policy, prior]) => ({
      policy,
      users: prior?.users ?? 0,
      groups: prior?.components.length ?? 0,
    }));
    const live = estimated.get(policyRegistry.live().name);
    return {
      users: live?.users ?? 0,
      groups: live?.components.length ?? 0,
      computedAt: live?.computedAt ?? null,
      policies,
    };
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
