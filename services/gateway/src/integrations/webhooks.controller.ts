import { Controller, Post, Query, Req, Res } from '@nestjs/common';
import { Public } from '@oo/access';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { httpError, parseInput } from '@oo/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { RawBody, rawBodyOf } from '../http/raw-body.js';
import { serviceCall } from '../http/service-call.js';
import { WebhookRefusals } from './webhook-refusals.js';

/**
 * At most 256 KiB raw. A Todoist item event is a few KB; the largest one is an `item:updated`
 * of a task whose description is at its 16,384-character cap, carried twice (`event_data` and
 * `event_data_extra.old_item`): even with every character a 6-byte `\uXXXX` escape that is
 * 192 KiB, and 256 KiB leaves room for the rest of both copies. (Only a description of escaped
 * emoji, 12 bytes each, could pass it; such a delivery is lost to the 413 and reconciliation
 * finds the change.) Every byte past what Todoist sends is only something a forger gets to
 * push onto NATS (base64, a third larger) and through integrations' HMAC.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;
const TIMEOUT_MS = 5_000;
/** Credentials of oO's own users that have no business on the bus; providers send neither. */
const WITHHELD_HEADERS = new Set(['cookie', 'authorization']);
const MAX_HEADER_VALUE = 8192;

const ERROR_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  404: 'not_found',
};

/**
 * `POST /webhooks/todoist`: Todoist's webhook deliveries. Public (Todoist has no session, so
 * no CSRF token either: the signature is its proof, and integrations checks it over the raw
 * bytes, which is why they travel untouched). The provider gets the status integrations
 * decides; integrations down is a 503, which Todoist retries.
 *
 * What can never be a Todoist delivery goes no further than here, so that forging costs the
 * forger more than it costs oO: no well-formed signature is a 401 and no delivery id a 400
 * (Todoist sends both on every delivery), and an address whose deliveries integrations refused
 * as wrongly signed too often this minute is a 429 (`WebhookRefusals`). The signature itself
 * is still checked by integrations alone, which alone holds the client secret.
 */
@Controller('webhooks')
@Public()
export class WebhooksController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly refusals: WebhookRefusals,
  ) {}

  @Post('todoist')
  @RawBody(WEBHOOK_BODY_LIMIT_BYTES)
  async todoist(
    @Req() request: FastifyRequest,
    @Query() query: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    parseInput('webhooks.todoist', 'query', query);
    await this.refusals.admit(request.headers, request.ip, reply);
    const { status } = await serviceCall(
      'integrations',
      this.rpc.call(
        RPC.integrations.webhook,
        {
          provider: 'todoist',
          headers: forwardedHeaders(request.headers),
          rawBody: rawBodyOf(request).toString('base64'),
        },
        TIMEOUT_MS,
      ),
    );
    await this.refusals.settle(status, request.ip);
    if (status >= 400) {
      throw httpError(status, ERROR_CODES[status] ?? 'refused', 'The delivery was not accepted');
    }
    await reply.status(status).send();
  }
}

/** The delivery's headers as the RPC carries them: names lower-cased (as Node has them). */
function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || WITHHELD_HEADERS.has(name)) continue;
    if (value.length <= MAX_HEADER_VALUE) forwarded[name.toLowerCase()] = value;
  }
  return forwarded;
}
