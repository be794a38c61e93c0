import { Inject, Injectable, Logger } from '@nestjs/common';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import { parseTodoistWebhook } from './todoist-webhook-body.js';
import { TodoistWebhookHandler } from './todoist-webhook.handler.js';
import { TODOIST_SIGNATURE_HEADER, todoistSignatureValid } from './todoist-signature.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

const DELIVERY_ID_HEADER = 'x-todoist-delivery-id';
const MAX_DELIVERY_ID = 200;

/** A Todoist delivery as the gateway received it: raw bytes and lower-cased headers. */
export interface TodoistDelivery {
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

/**
 * One Todoist delivery, start to answer: the signature over the raw bytes first (nothing is
 * read, stored or published for a delivery Todoist did not sign), then the body, then the
 * delivery id so a redelivery is processed once. Answers the HTTP status Todoist gets; only a
 * failure here (a store down) is an error, which the gateway answers 5xx so Todoist retries.
 */
@Injectable()
export class TodoistWebhookReceiver {
  private readonly logger = new Logger(TodoistWebhookReceiver.name);

  constructor(
    @Inject(INTEGRATIONS_ENV) private readonly env: IntegrationsEnv,
    private readonly deliveries: WebhookDeliveries,
    private readonly handler: TodoistWebhookHandler,
  ) {}

  async receive({ headers, rawBody }: TodoistDelivery): Promise<number> {
    if (
      !todoistSignatureValid(
        this.env.TODOIST_CLIENT_SECRET,
        rawBody,
        headers[TODOIST_SIGNATURE_HEADER],
      )
    ) {
      this.logger.warn(
        this.env.TODOIST_CLIENT_SECRET
          ? 'Todoist webhook refused: signature missing or wrong'
          : 'Todoist webhook refused: TODOIST_CLIENT_SECRET is not configured',
      );
      return 401;
    }
    const parsed = parseTodoistWebhook(rawBody);
    if (!parsed.ok) {
      this.logger.warn(`Todoist webhook refused: ${parsed.reason}`);
      return 400;
    }
    const deliveryId = headers[DELIVERY_ID_HEADER];
    // A delivery without an id cannot be recognised again; its effects are idempotent anyway.
    const dedupeId = deliveryId && deliveryId.length <= MAX_DELIVERY_ID ? deliveryId : undefined;
    if (dedupeId && (await this.deliveries.processed(dedupeId))) return 200;
    await this.handler.handle(parsed.event, dedupeId);
    // Marked only after the effect: a crash in between means Todoist's retry does it again,
    // which is safe (the completion ledger claims a completion once, a stale mark is a mark).
    // Marking first would lose the effect to such a crash.
    if (dedupeId) await this.deliveries.markProcessed(dedupeId);
    return 200;
  }
}
