import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type NotifierListRequest,
  type NotifierListResponse,
  type NotifierSubscribeRequest,
  type NotifierSubscribeResponse,
  type NotifierUnsubscribeRequest,
  type NotifierUnsubscribeResponse,
  type NotifierVapidPublicKeyRequest,
  type NotifierVapidPublicKeyResponse,
} from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { NOTIFIER_ENV, type NotifierEnv } from '../config/env.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** `rpc.notifier.*`: the gateway calls these with the user of the verified session. */
@Controller()
export class SubscriptionsController {
  constructor(
    @Inject(NOTIFIER_ENV) private readonly env: NotifierEnv,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  @MessagePattern(RPC.notifier.subscribe)
  subscribe(
    @Payload(new RpcContractPipe(RPC.notifier.subscribe)) request: NotifierSubscribeRequest,
  ): Promise<NotifierSubscribeResponse> {
    return this.subscriptions.subscribe(request);
  }

  @MessagePattern(RPC.notifier.unsubscribe)
  async unsubscribe(
    @Payload(new RpcContractPipe(RPC.notifier.unsubscribe)) request: NotifierUnsubscribeRequest,
  ): Promise<NotifierUnsubscribeResponse> {
    return { removed: await this.subscriptions.unsubscribe(request.userId, request.endpoint) };
  }

  @MessagePattern(RPC.notifier.list)
  list(
    @Payload(new RpcContractPipe(RPC.notifier.list)) request: NotifierListRequest,
  ): Promise<NotifierListResponse> {
    return this.subscriptions.list(request.userId);
  }

  @MessagePattern(RPC.notifier.vapidPublicKey)
  vapidPublicKey(
    @Payload(new RpcContractPipe(RPC.notifier.vapidPublicKey))
    _request: NotifierVapidPublicKeyRequest,
  ): NotifierVapidPublicKeyResponse {
    return { publicKey: this.env.VAPID_PUBLIC_KEY };
  }
}
