import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { httpError } from '@oo/platform';
import { Redis } from 'ioredis';
import type { IncomingHttpHeaders } from 'node:http';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

const WINDOW_MS = 60_000;
const SIGNATURE_HEADER = 'x-todoist-hmac-sha256';
const DELIVERY_ID_HEADER = 'x-todoist-delivery-id';
/** base64 of a 32-byte HMAC-SHA256 digest, as Todoist writes it: 44 characters, one `=`. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export type RefusalBudget = { outcome: 'open' } | { outcome: 'spent'; retryAfterSeconds: number };

/**
 * Who may deliver a webhook: what can never be a Todoist delivery is refused at the edge, and
 * deliveries integrations refused as wrongly signed are counted per sender and minute in Redis
 * so that every gateway instance holds one budget. An address that spent it gets 429 without
 * forwarding until the window ends: a forger cannot keep NATS and integrations' HMAC check
 * busy at the webhook rate. A provider signs every delivery, so it never spends this budget;
 * the block is by address, though, so a genuine delivery from a blocked address waits too.
 */
@Injectable()
export class WebhookRefusals {
  private readonly logger = new Logger(WebhookRefusals.name);

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  /**
   * Lets a delivery on to integrations, or refuses it here without NATS traffic: no
   * well-formed signature is a 401 and no delivery id a 400 (Todoist sends both on every
   * delivery); a sender that spent its refusals this minute is a 429 with `Retry-After`.
   */
  async admit(
    headers: IncomingHttpHeaders,
    address: string,
    reply: { header(name: string, value: string): unknown },
  ): Promise<void> {
    const signature = headers[SIGNATURE_HEADER];
    if (typeof signature !== 'string' || !SIGNATURE_SHAPE.test(signature)) {
      throw httpError(401, 'unauthenticated', 'The delivery was not accepted');
    }
    const deliveryId = headers[DELIVERY_ID_HEADER];
    if (typeof deliveryId !== 'string' || deliveryId.trim() === '') {
      throw httpError(
        400,
        'invalid_request',
        'X-Todoist-Delivery-ID is required',
        'X-Todoist-Delivery-ID',
      );
    }
    const budget = await this.budgetOf(address);
    if (budget.outcome === 'spent') {
      reply.header('retry-after', String(budget.retryAfterSeconds));
      throw httpError(
        429,
        'rate_limited',
        `Too many refused deliveries; try again in ${budget.retryAfterSeconds} s`,
      );
    }
  }

  /** Integrations' answer to a delivery: a refused signature counts against its sender. */
  async settle(status: number, address: string): Promise<void> {
    if (status === 401) await this.recordRefusal(address);
  }

  private async budgetOf(address: string): Promise<RefusalBudget> {
    try {
      const [refusals, ttl] = await Promise.all([
        this.redis.get(keyOf(address)),
        this.redis.pttl(keyOf(address)),
      ]);
      if (Number(refusals ?? 0) < this.env.RATE_LIMIT_WEBHOOK_REFUSALS_PER_MINUTE) {
        return { outcome: 'open' };
      }
      return { outcome: 'spent', retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (error) {
      // As the edge's rate limit: better to forward for a moment (integrations still checks
      // every signature) than to refuse Todoist while Redis blips.
      this.logger.warn(`Webhook refusal budget unreadable: ${(error as Error).message}`);
      return { outcome: 'open' };
    }
  }

  private async recordRefusal(address: string): Promise<void> {
    try {
      // A fixed window: count and expiry set together, so a key never outlives its minute.
      await this.redis.eval(RECORD, 1, keyOf(address), WINDOW_MS);
    } catch (error) {
      this.logger.warn(`Webhook refusal not counted: ${(error as Error).message}`);
    }
  }
}

const RECORD = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

const keyOf = (address: string): string => `oo:gateway:webhook-refusals:${senderOf(address)}`;

/**
 * Whom a refusal is counted against: the address, or for IPv6 its /64 — one subscriber's
 * network, whose 2⁶⁴ addresses would otherwise give a forger a fresh budget per request.
 * IPv4-mapped addresses (`::ffff:a.b.c.d`) count as the IPv4 address they carry.
 */
export function senderOf(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
  return `${prefix.join(':')}::/64`;
}
