import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type KeysRequest, type KeysResponse } from '@oo/contracts';
import { RpcContractPipe } from '@oo/messaging';
import { publicJwks } from '@oo/sessions';
import { AUTH_ENV, type AuthEnv } from '../config/env.js';

/** `rpc.auth.keys`: the public half of the session signing keys, for local verification. */
@Controller()
export class KeysController {
  constructor(@Inject(AUTH_ENV) private readonly env: AuthEnv) {}

  @MessagePattern(RPC.auth.keys)
  keys(@Payload(new RpcContractPipe(RPC.auth.keys)) _request: KeysRequest): KeysResponse {
    return publicJwks(this.env.SESSION_SIGNING_KEYS);
  }
}
