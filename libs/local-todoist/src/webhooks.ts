import { createHmac, randomUUID } from 'node:crypto';
import type { ItemEvent } from './tasks.js';
import type { TodoistUser, WebhookDelivery } from './types.js';

const DELIVERY_TIMEOUT_MS = 10_000;

/** base64(HMAC-SHA256(client secret, raw body)): Todoist's `X-Todoist-Hmac-SHA256`. */
export function webhookSignature(clientSecret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', clientSecret).update(rawBody).digest('base64');
}

/** Builds, signs, sends and remembers webhook deliveries; tests can drop or replay them. */
export class WebhookSender {
  private readonly sent = new Map<string, WebhookDelivery>();
  private dropCount = 0;
  /** One delivery at a time, in event order: a receiver sees item:added before item:completed. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clientSecret: string,
    public url: string | null,
  ) {}

  dropNext(count: number): void {
    this.dropCount = count;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.sent.values()].map((delivery) => ({ ...delivery }));
  }

  /** Sends the event for `user`; resolves once the receiver answered (or the send failed). */
  async deliver(event: ItemEvent, user: TodoistUser): Promise<WebhookDelivery | null> {
    if (!this.url) return null;
    const body = JSON.stringify({
      event_name: event.name,
      user_id: event.userId,
      event_data: event.task,
      ...(event.extra ? { event_data_extra: event.extra } : {}),
      initiator: {
        id: user.id,
        email: user.email,
        full_name: user.full_name,
        is_premium: false,
        image_id: null,
      },
      triggered_at: new Date().toISOString(),
      version: '10',
    });
    const delivery: WebhookDelivery = {
      deliveryId: randomUUID(),
      eventName: event.name,
      userId: event.userId,
      body,
      status: 'pending',
      responseStatus: null,
      attempts: 0,
    };
    this.sent.set(delivery.deliveryId, delivery);
    if (this.dropCount > 0) {
      this.dropCount -= 1;
      delivery.status = 'dropped';
      return { ...delivery };
    }
    await this.enqueue(delivery);
    return { ...delivery };
  }

  async redeliver(deliveryId: string): Promise<WebhookDelivery> {
    const delivery = this.sent.get(deliveryId);
    if (!delivery) throw new Error(`no delivery ${deliveryId}`);
    await this.enqueue(delivery);
    return { ...delivery };
  }

  private enqueue(delivery: WebhookDelivery): Promise<void> {
    this.queue = this.queue.then(() => this.post(delivery));
    return this.queue;
  }

  private async post(delivery: WebhookDelivery): Promise<void> {
    if (!this.url) return;
    delivery.attempts += 1;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Todoist-Webhooks',
          'x-todoist-hmac-sha256': webhookSignature(this.clientSecret, delivery.body),
          'x-todoist-delivery-id': delivery.deliveryId,
        },
        body: delivery.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      delivery.responseStatus = response.status;
      delivery.status = response.ok ? 'delivered' : 'failed';
    } catch {
      delivery.status = 'failed';
    }
  }
}
