import type { PipeTransform } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import {
  rpcError,
  validateRpcRequest,
  type RpcError,
  type RpcMap,
  type RpcSubject,
} from '@oo/contracts';

/**
 * Validates an RPC request against its schema in schemas/rpc: a bad one is answered with an
 * `invalid_request` error naming the field, and the handler never sees it.
 *
 *   @MessagePattern(RPC.scorer.score)
 *   score(@Payload(new RpcContractPipe(RPC.scorer.score)) request: ScoreRequest) {}
 */
export class RpcContractPipe<S extends RpcSubject> implements PipeTransform<
  unknown,
  RpcMap[S]['request']
> {
  constructor(private readonly subject: S) {}

  transform(value: unknown): RpcMap[S]['request'] {
    const checked = validateRpcRequest(this.subject, value);
    if (!checked.ok) {
      const { field, message } = checked.error;
      throw new RpcException(
        rpcError('invalid_request', field ? `${field} ${message}` : `request ${message}`, field),
      );
    }
    return checked.value;
  }
}

/** Fails an RPC with a contract error (`rpc.*` callers get `{code, message, field?}`). */
export function rpcFailure(code: RpcError['code'], message: string, field?: string): RpcException {
  return new RpcException(rpcError(code, message, field));
}
