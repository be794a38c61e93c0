import { Module } from '@nestjs/common';
import { CompletionsModule } from '../completions/completions.module.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { TodoistWebhookHandler } from './todoist-webhook.handler.js';
import { TodoistWebhookReceiver } from './todoist-webhook.receiver.js';
import { WebhookDeliveries } from './webhook-deliveries.js';
import { WebhooksController } from './webhooks.controller.js';

/** Todoist's webhooks: completions into the ledger, changes into a stale task cache. */
@Module({
  imports: [ConnectionsModule, CompletionsModule, SyncModule],
  controllers: [WebhooksController],
  providers: [WebhookDeliveries, TodoistWebhookHandler, TodoistWebhookReceiver],
})
export class WebhooksModule {}
