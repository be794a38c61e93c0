import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { verificationKeys, type VerificationKeys } from '@oo/sessions';

const REFRESH_MS = 60_000;
const RETRY_MS = 2_000;

/**
 * The public keys sessions are verified with, fetched from auth (`rpc.auth.keys`) at start and
 * every minute after, so a rotated key is picked up without a restart and no request waits on
 * auth. Until the first answer, signed-in routes answer 503.
 */
@Injectable()
export class SessionKeysService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SessionKeysService.name);
  private keys: VerificationKeys | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly rpc: RpcClient) {}

  onApplicationBootstrap(): void {
    void this.load();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
  }

  current(): VerificationKeys | undefined {
    return this.keys;
  }

  /** Fetches the keys now (also what the timer does). */
  async load(): Promise<void> {
    let next = REFRESH_MS;
    try {
      const jwks = await this.rpc.call(RPC.auth.keys, {}, 2_000);
      this.keys = verificationKeys(jwks);
    } catch (error) {
      next = this.keys ? REFRESH_MS : RETRY_MS;
      this.logger.warn(`session keys not refreshed: ${(error as Error).message}`);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), next).unref();
  }
}
