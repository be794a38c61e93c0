import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { JetStreamContext } from './jetstream.context.js';

/**
 * Nest replaces unknown errors with a generic "Internal server error". For JetStream handlers
 * the consumer needs the real error (its class decides retry or dead letter, its message is
 * the dead-letter reason), so it passes through untouched; RPC errors keep Nest's behaviour.
 */
@Catch()
export class EventErrorPassthroughFilter extends BaseRpcExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<unknown> {
    if (host.getType() === 'rpc' && host.switchToRpc().getContext() instanceof JetStreamContext) {
      return throwError(() => exception);
    }
    return super.catch(exception, host);
  }
}
