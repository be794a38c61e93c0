import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type LegalRequest, type LegalResponse } from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { CURRENT_TERMS_VERSION, legalText } from './legal-documents.js';

/** `rpc.profile.legal`: the texts the SPA shows before sign-in and in settings. */
@Controller()
export class LegalController {
  @MessagePattern(RPC.profile.legal)
  document(@Payload(new RpcContractPipe(RPC.profile.legal)) request: LegalRequest): LegalResponse {
    return {
      document: request.document,
      version: CURRENT_TERMS_VERSION,
      markdown: legalText(request.document),
    };
  }
}
