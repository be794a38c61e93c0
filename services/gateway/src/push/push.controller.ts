import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Public, SignedIn } from '@oo/access';
import {
  RPC,
  type NotifierSubscribeResponse,
  type NotifierVapidPublicKeyResponse,
} from '@oo/contracts';
import { RpcCallError, RpcClient } from '@oo/messaging';
import { parseInput } from '@oo/platform';
import { serviceCall } from '../http/service-call.js';
import { CurrentSession, type Session } from '../sessions/current-session.js';

const NOTIFIER_TIMEOUT_MS = 2_000;

/**
 * `/api/push/*`: Web Push subscriptions of the signed-in user's devices, owned by the notifier.
 * The user is the session's; the body only says which device.
 */
@Controller('api/push')
export class PushController {
  /** The key changes only with the notifier's configuration: asked once, then kept. */
  private vapidPublicKey: Promise<NotifierVapidPublicKeyResponse> | undefined;

  constructor(private readonly rpc: RpcClient) {}

  @Get('vapid-public-key')
  @Public()
  publicKey(@Query() query: unknown): Promise<NotifierVapidPublicKeyResponse> {
    parseInput('push.vapid_public_key', 'query', query);
    this.vapidPublicKey ??= this.rpc
      .call(RPC.notifier.vapidPublicKey, {}, NOTIFIER_TIMEOUT_MS)
      .catch((error: unknown) => {
        this.vapidPublicKey = undefined;
        throw error;
      });
    return serviceCall('notifier', this.vapidPublicKey);
  }

  @Post('subscriptions')
  @SignedIn()
  @HttpCode(201)
  subscribe(
    @CurrentSession() session: Session,
    @Body() body: unknown,
    @Query() query: unknown,
  ): Promise<NotifierSubscribeResponse> {
    parseInput('push.subscribe', 'query', query);
    const subscription = parseInput('push.subscribe', 'body', body);
    return serviceCall(
      'notifier',
      bodyFields(
        this.rpc.call(
          RPC.notifier.subscribe,
          { userId: session.userId, subscription },
          NOTIFIER_TIMEOUT_MS,
        ),
      ),
    );
  }

  @Delete('subscriptions')
  @SignedIn()
  @HttpCode(204)
  async unsubscribe(
    @CurrentSession() session: Session,
    @Body() body: unknown,
    @Query() query: unknown,
  ): Promise<void> {
    parseInput('push.unsubscribe', 'query', query);
    const { endpoint } = parseInput('push.unsubscribe', 'body', body);
    await serviceCall(
      'notifier',
      this.rpc.call(
        RPC.notifier.unsubscribe,
        { userId: session.userId, endpoint },
        NOTIFIER_TIMEOUT_MS,
      ),
    );
  }
}

/**
 * The notifier names a refused field inside its request (`subscription.keys.auth`); the user
 * sent the subscription itself as the body (`keys.auth`).
 */
async function bodyFields<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof RpcCallError && error.field?.startsWith('subscription.')) {
      const field = error.field.slice('subscription.'.length);
      throw new RpcCallError(error.subject, error.code, error.message, field);
    }
    throw error;
  }
}
