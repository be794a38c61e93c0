import { Controller, Post, Query, Req, Res } from '@nestjs/common';
import { Public } from '@oo/access';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { httpError, parseInput } from '@oo/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { RawBody, rawBodyOf } from '../http/raw-body.js';
import { serviceCall } from '../http/service-call.js';

/** At most 512 KiB raw, so the delivery (base64, with headers) fits one NATS message. */
export const WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;
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
 */
@Controller('webhooks')
@Public()
export class WebhooksController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('todoist')
  @RawBody(WEBHOOK_BODY_LIMIT_BYTES)
  async todoist(
    @Req() request: FastifyRequest,
    @Query() query: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    parseInput('webhooks.todoist', 'query', query);
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
