import { Controller, Get, Param, Query } from '@nestjs/common';
import { RPC, validateRpcRequest, type LegalResponse } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { Public } from '@oo/access';
import { httpError, parseInput } from '@oo/platform';
import { serviceCall } from '../http/service-call.js';

/** `GET /api/legal/terms|privacy`: shown before sign-in, so public. */
@Controller('api/legal')
@Public()
export class LegalController {
  constructor(private readonly rpc: RpcClient) {}

  @Get(':document')
  document(@Param('document') document: string, @Query() query: unknown): Promise<LegalResponse> {
    parseInput('legal.get', 'query', query);
    // The documents there are: the RPC's schema (LegalDocument in schemas/common/defs.json).
    const request = validateRpcRequest(RPC.profile.legal, { document });
    if (!request.ok) throw httpError(404, 'not_found', `No document '${document}'`);
    return serviceCall('profile', this.rpc.call(RPC.profile.legal, request.value, 1_000));
  }
}
