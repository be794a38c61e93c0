import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { RpcError } from '@oo/contracts';
import { catchError, throwError, type Observable } from 'rxjs';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';

/**
 * Counts RPC errors by operation and code, request validation failures included (score is
 * timed and counted by ScoreRoute, which answers it outside Nest's pipeline).
 */
@Injectable()
export class RpcOutcomeInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ScorerMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const operation = context.getHandler().name;
    return next.handle().pipe(
      catchError((error: unknown) => {
        const code =
          error instanceof RpcException
            ? ((error.getError() as RpcError).code ?? 'internal')
            : 'internal';
        this.metrics.rpcErrors.inc({ operation, code });
        return throwError(() => error);
      }),
    );
  }
}
