import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { EventErrorPassthroughFilter } from '@oo/messaging';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import type { HttpErrorBody } from './http-errors.js';

const CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * One error shape per transport. HTTP: always `{"error": {"code", "message", "field"?}}`
 * (ARCHITECTURE.md §4), framework errors too (malformed JSON, body too large, unknown route),
 * and a 500 never shows internals. RPC and JetStream: see EventErrorPassthroughFilter.
 */
@Catch()
export class ServiceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');
  private readonly messaging = new EventErrorPassthroughFilter();

  catch(exception: unknown, host: ArgumentsHost): Observable<unknown> | undefined {
    if (host.getType() !== 'http') return this.messaging.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.describe(exception);
    void reply.status(status).header('content-type', 'application/json').send(body);
    return undefined;
  }

  private describe(exception: unknown): { status: number; body: HttpErrorBody } {
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : Number((exception as { statusCode?: unknown }).statusCode) || 500;
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'error' in response) {
        const { error } = response as Partial<HttpErrorBody>;
        if (typeof error === 'object' && error !== null) return { status, body: { error } };
      }
    }
    if (status >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
      return {
        status,
        body: {
          error: { code: CODES[status] ?? 'internal', message: 'Something went wrong on our side' },
        },
      };
    }
    if (status === 415) {
      return {
        status,
        body: {
          error: {
            code: CODES[415]!,
            message: 'content-type must be application/json',
            field: 'content-type',
          },
        },
      };
    }
    const message = exception instanceof Error ? exception.message : 'The request was refused';
    return { status, body: { error: { code: CODES[status] ?? 'invalid_request', message } } };
  }
}
