import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type IntegrationsCompleteRequest,
  type IntegrationsCompleteResponse,
  type IntegrationsConnectUrlRequest,
  type IntegrationsConnectUrlResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { ConnectService } from './connect.service.js';

/** `rpc.integrations.connect_url|complete`: the gateway calls these with the verified session. */
@Controller()
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @MessagePattern(RPC.integrations.connectUrl)
  connectUrl(
    @Payload(new RpcContractPipe(RPC.integrations.connectUrl))
    request: IntegrationsConnectUrlRequest,
  ): Promise<IntegrationsConnectUrlResponse> {
    return this.connect.connectUrl(request);
  }

  @MessagePattern(RPC.integrations.complete)
  complete(
    @Payload(new RpcContractPipe(RPC.integrations.complete)) request: IntegrationsCompleteRequest,
  ): Promise<IntegrationsCompleteResponse> {
    return this.connect.complete(request);
  }
}
