import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';

const WINDOW_MS = 60_000;

export type RefusalBudget = { outcome: 'open' } | { outcome: 'spent'; retryAfterSeconds: number };

/**
 * Deliveries integrations refused as wrongly signed, per sender address and minute, in Redis
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

  async budgetOf(address: string): Promise<RefusalBudget> {
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

  async recordRefusal(address: string): Promise<void> {
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
