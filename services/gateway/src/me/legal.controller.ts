import { Controller, Get, Param, Query } from '@nestjs/common';
import { RPC, type LegalResponse } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { Public } from '@oo/access';
import { httpError, NO_QUERY, parseInput } from '@oo/platform';
import { serviceCall } from '../http/service-call.js';

const DOCUMENTS = new Set(['terms', 'privacy']);

/** `GET /api/legal/terms|privacy`: shown before sign-in, so public. */
@Controller('api/legal')
@Public()
export class LegalController {
  constructor(private readonly rpc: RpcClient) {}

  @Get(':document')
  document(@Param('document') document: string, @Query() query: unknown): Promise<LegalResponse> {
    parseInput(NO_QUERY, query, 'query');
    if (!DOCUMENTS.has(document)) throw httpError(404, 'not_found', `No document '${document}'`);
    return serviceCall(
      'profile',
      this.rpc.call(RPC.profile.legal, { document: document as 'terms' | 'privacy' }, 1_000),
    );
  }
}
