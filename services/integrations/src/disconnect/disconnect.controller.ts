import { Controller, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type IntegrationsDisconnectRequest,
  type IntegrationsDisconnectResponse,
} from '@oo/contracts';
import { EventPublisher, RpcContractPipe } from '@oo/messaging';
import { ConnectionRemoval } from './connection-removal.js';

/**
 * `rpc.integrations.disconnect`: the user's data of the provider removed, then
 * `integration.disconnected` published (only when there was a connection); the grant is
 * revoked at the provider in the background. Disconnecting twice is `{ok: true}` both times.
 */
@Controller()
export class DisconnectController {
  private readonly logger = new Logger(DisconnectController.name);

  constructor(
    private readonly removal: ConnectionRemoval,
    private readonly publisher: EventPublisher,
  ) {}

  @MessagePattern(RPC.integrations.disconnect)
  async disconnect(
    @Payload(new RpcContractPipe(RPC.integrations.disconnect))
    request: IntegrationsDisconnectRequest,
  ): Promise<IntegrationsDisconnectResponse> {
    const { userId, provider } = request;
    if (await this.removal.remove(userId, provider)) {
      await this.publisher.publish('integration.disconnected', userId, { provider });
      this.logger.log(`${userId} disconnected ${provider}`);
    }
    return { ok: true };
  }
}
