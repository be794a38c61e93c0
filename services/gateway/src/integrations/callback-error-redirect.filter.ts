import {
  Catch,
  HttpException,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { connectPage, redirect } from './connect-redirect.js';

/**
 * The provider's callback is a top-level browser navigation: an HTTP error there would leave
 * the user on a JSON page. The guard's and the query check's refusals become a redirect to the
 * SPA's connect page instead (401 → `not_signed_in`, e.g. the session ended meanwhile).
 */
@Catch(HttpException)
export class CallbackErrorRedirect implements ExceptionFilter {
  constructor(@Inject(GATEWAY_ENV) private readonly env: GatewayEnv) {}

  async catch(exception: HttpException, host: ArgumentsHost): Promise<void> {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    await redirect(
      reply,
      connectPage(this.env.PUBLIC_URL, { error: codeFor(exception.getStatus()) }),
    );
  }
}

function codeFor(status: number): string {
  switch (status) {
    case 401:
      return 'not_signed_in';
    case 400:
      return 'bad_request';
    case 429:
      return 'rate_limited';
    default:
      return 'unavailable';
  }
}
