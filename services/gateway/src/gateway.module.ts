import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthProxyController } from './auth-proxy/auth-proxy.controller.js';
import { IntegrationsController } from './integrations/integrations.controller.js';
import { WebhooksController } from './integrations/webhooks.controller.js';
import { WebhookRefusals } from './integrations/webhook-refusals.js';
import { LegalController } from './me/legal.controller.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { MeController } from './me/me.controller.js';
import { AccessGuard } from './sessions/access.guard.js';
import { SessionChecksRepository } from './sessions/session-checks.repository.js';
import { SessionKeysService } from './sessions/session-keys.service.js';
import { SessionController } from './sessions/session.controller.js';
import { PushController } from './push/push.controller.js';
import { TipsController } from './tips/tips.controller.js';
import { TipFeedbackController } from './tips/tip-feedback.controller.js';

@Module({
  controllers: [
    AuthProxyController,
    SessionController,
    MeController,
    LegalController,
    IntegrationsController,
    WebhooksController,
    TipsController,
    TipFeedbackController,
    PushController,
    OpenApiController,
  ],
  providers: [
    SessionKeysService,
    SessionChecksRepository,
    WebhookRefusals,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
})
export class GatewayModule {}
