import { Module } from '@nestjs/common';
import { NOTIFIER_ENV, type NotifierEnv } from './config/env.js';
import { UserPushData } from './erasure/user-push-data.js';
import { PushClaims } from './scheduling/push-claims.js';
import { PushDecider } from './scheduling/push-decider.js';
import { PushScheduler } from './scheduling/push-scheduler.js';
import { ScheduleRepository } from './scheduling/schedule.repository.js';
import { PushTriggersConsumer } from './scheduling/triggers.consumer.js';
import { DeliveryLogRepository } from './sending/delivery-log.repository.js';
import { DeliveryLogRetention } from './sending/delivery-log-retention.js';
import { DEFAULT_RETRY_POLICY, PushSender } from './sending/push-sender.js';
import { TipPush } from './sending/tip-push.js';
import { VapidSigner } from './sending/vapid-signer.js';
import { ProfileUpdatedConsumer } from './settings/profile-updated.consumer.js';
import { PushSettingsRepository } from './settings/push-settings.repository.js';
import { PushSettingsService } from './settings/push-settings.service.js';
import { SubscriptionRepository } from './subscriptions/subscription.repository.js';
import { SubscriptionsController } from './subscriptions/subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions/subscriptions.service.js';

/**
 * Web Push: devices (subscriptions), the copy of users' push settings, when to push (the
 * decider, its timer and triggers), and sending. Needs the env, Redis and Prisma among the stores.
 */
@Module({
  controllers: [SubscriptionsController, PushTriggersConsumer, ProfileUpdatedConsumer],
  providers: [
    SubscriptionsService,
    SubscriptionRepository,
    PushSettingsService,
    PushSettingsRepository,
    ScheduleRepository,
    PushClaims,
    PushDecider,
    PushScheduler,
    TipPush,
    DeliveryLogRepository,
    DeliveryLogRetention,
    UserPushData,
    {
      provide: PushSender,
      inject: [NOTIFIER_ENV],
      useFactory: (env: NotifierEnv) =>
        new PushSender(
          new VapidSigner({
            subject: env.VAPID_SUBJECT,
            publicKey: env.VAPID_PUBLIC_KEY,
            privateKey: env.VAPID_PRIVATE_KEY,
          }),
          { ...DEFAULT_RETRY_POLICY, timeoutMs: env.PUSH_REQUEST_TIMEOUT_MS },
        ),
    },
  ],
  exports: [UserPushData, PushDecider, PushScheduler],
})
export class PushModule {}
