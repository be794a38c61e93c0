import { Inject, Injectable } from '@nestjs/common';
import type {
  NotifierListResponse,
  NotifierSubscribeRequest,
  NotifierSubscribeResponse,
} from '@oo/contracts';
import { NOTIFIER_ENV, type NotifierEnv } from '../config/env.js';
import { ScheduleRepository } from '../scheduling/schedule.repository.js';
import { PushSettingsService } from '../settings/push-settings.service.js';
import { checkPublicEndpoint, checkSubscription, endpointHash } from './push-endpoint.js';
import { SubscriptionRepository } from './subscription.repository.js';

/** Users' devices: subscribe, unsubscribe, list (`rpc.notifier.*`). */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(NOTIFIER_ENV) private readonly env: NotifierEnv,
    private readonly subscriptions: SubscriptionRepository,
    private readonly settings: PushSettingsService,
    private readonly schedule: ScheduleRepository,
  ) {}

  async subscribe(request: NotifierSubscribeRequest): Promise<NotifierSubscribeResponse> {
    const production = this.env.OO_ENV === 'production';
    const checked = checkSubscription(request.subscription, { allowLoopbackHttp: !production });
    if (production) await checkPublicEndpoint(checked.endpoint);
    // The browser subscribed with the key it was given, ours now.
    await this.subscriptions.save(request.userId, checked, this.env.VAPID_PUBLIC_KEY);
    // A device added with push already on is looked at on the next timer round.
    if ((await this.settings.of(request.userId)).pushEnabled) {
      await this.schedule.bringForward(request.userId, new Date(), 'now');
    }
    return { endpointHash: checked.endpointHash };
  }

  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    const removed = await this.subscriptions.remove(userId, endpointHash(endpoint));
    if (removed && !(await this.subscriptions.hasAny(userId))) await this.schedule.remove(userId);
    return removed;
  }

  async list(userId: string): Promise<NotifierListResponse> {
    const devices = await this.subscriptions.forUser(userId);
    return {
      subscriptions: devices.map((device) => ({
        endpointHash: device.endpointHash,
        pushService: new URL(device.endpoint).host,
        createdAt: device.createdAt.toISOString(),
        lastSentAt: device.lastSentAt?.toISOString() ?? null,
      })),
    };
  }
}
