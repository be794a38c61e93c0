import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { RpcError } from '@oo/contracts';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';

/** Times every score and counts RPC errors by code; request validation failures included. */
@Injectable()
export class RpcOutcomeInterceptor implements NestInterceptor {
  constructor(private readonly metrics: ScorerMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const operation = context.getHandler().name;
    const started = performance.now();
    return next.handle().pipe(
      tap((response) => {
        if (operation === 'score') {
          const { policy } = response as { policy: string };
          this.metrics.scoreSeconds.observe({ policy }, (performance.now() - started) / 1000);
        }
      }),
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
