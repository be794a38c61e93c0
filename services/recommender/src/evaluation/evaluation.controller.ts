import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type EvaluateRequest, type EvaluateResponse } from '@oo/contracts';
import { RpcContractPipe, rpcFailure } from '@oo/messaging';
import { EvaluationService } from './evaluation.service.js';
import { evaluablePolicies, isEvaluable } from './target-probability.js';

/** `rpc.recommender.evaluate`: checked against schemas/rpc, then one policy evaluated. */
@Controller()
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationService) {}

  @MessagePattern(RPC.recommender.evaluate)
  async evaluate(
    @Payload(new RpcContractPipe(RPC.recommender.evaluate)) request: EvaluateRequest,
  ): Promise<EvaluateResponse> {
    if (!isEvaluable(request.policy)) {
      throw rpcFailure(
        'invalid_request',
        `policy '${request.policy}' is not a known policy (${evaluablePolicies().join(', ')})`,
        'policy',
      );
    }
    const [result] = await this.evaluation.evaluate([request.policy], {
      since: request.since === undefined ? undefined : new Date(request.since),
      userId: request.userId,
    });
    return result!;
  }
}
