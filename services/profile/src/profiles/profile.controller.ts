import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type ProfileGetRequest,
  type ProfileGetResponse,
  type ProfileUpdateRequest,
  type ProfileUpdateResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { ProfileService } from './profile.service.js';

/** `rpc.profile.*`: the gateway calls these with the user of the verified session. */
@Controller()
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @MessagePattern(RPC.profile.get)
  get(
    @Payload(new RpcContractPipe(RPC.profile.get)) request: ProfileGetRequest,
  ): Promise<ProfileGetResponse> {
    return this.profiles.get(request.userId);
  }

  @MessagePattern(RPC.profile.update)
  update(
    @Payload(new RpcContractPipe(RPC.profile.update)) request: ProfileUpdateRequest,
  ): Promise<ProfileUpdateResponse> {
    return this.profiles.update(request);
  }
}
