import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type ProfileDeleteRequest,
  type ProfileDeleteResponse,
  type ProfileDeletionStatusRequest,
  type ProfileDeletionStatusResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { DeletionService } from './deletion.service.js';

/** `rpc.profile.delete` (the gateway, for the signed-in user) and `rpc.profile.deletion_status`. */
@Controller()
export class DeletionController {
  constructor(private readonly deletions: DeletionService) {}

  @MessagePattern(RPC.profile.delete)
  request(
    @Payload(new RpcContractPipe(RPC.profile.delete)) request: ProfileDeleteRequest,
  ): Promise<ProfileDeleteResponse> {
    return this.deletions.request(request.userId);
  }

  @MessagePattern(RPC.profile.deletionStatus)
  status(
    @Payload(new RpcContractPipe(RPC.profile.deletionStatus)) request: ProfileDeletionStatusRequest,
  ): Promise<ProfileDeletionStatusResponse> {
    return this.deletions.status(request.userId);
  }
}
