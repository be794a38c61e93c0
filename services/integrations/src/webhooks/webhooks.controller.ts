import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type IntegrationsWebhookRequest,
  type IntegrationsWebhookResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { TODOIST } from '../sync/sync.service.js';
import { TodoistWebhookReceiver } from './todoist-webhook.receiver.js';

/** `rpc.integrations.webhook`: a provider's webhook delivery, passed on by the gateway. */
@Controller()
export class WebhooksController {
  constructor(private readonly todoist: TodoistWebhookReceiver) {}

  @MessagePattern(RPC.integrations.webhook)
  async webhook(
    @Payload(new RpcContractPipe(RPC.integrations.webhook)) request: IntegrationsWebhookRequest,
  ): Promise<IntegrationsWebhookResponse> {
    if (request.provider !== TODOIST) return { status: 404 };
    const status = await this.todoist.receive({
      headers: request.headers,
      rawBody: Buffer.from(request.rawBody, 'base64'),
    });
    return { status };
  }
}
