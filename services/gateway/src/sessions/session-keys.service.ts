import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RPC } from '@oo/contracts';
import { backoffDelay, RpcClient } from '@oo/messaging';
import { ReadinessChecks } from '@oo/observability';
import { verificationKeys, type VerificationKeys } from '@oo/sessions';

const REFRESH_MS = 60_000;
const CALL_TIMEOUT_MS = 2_000;
/**
 * Until the first keys arrive, ask again soon: auth often starts a moment after the gateway,
 * and every signed-in request waits on this. Doubling from 50 ms to 1 s finds auth within a
 * second of its start without flooding NATS while it is away (±20 % jitter, so gateways
 * started together do not ask together).
 */
const FIRST_LOAD_BACKOFF = { initialMs: 50, maxMs: 1_000 };
/** A failing first load is logged on its first attempt and then every this many. */
const LOG_EVERY_ATTEMPTS = 10;

/**
 * The public keys sessions are verified with, fetched from auth (`rpc.auth.keys`) at start and
 * every minute after, so a rotated key is picked up without a restart and no request waits on
 * auth. Until the first answer the gateway is not ready (`session_keys` is down in `/health`)
 * and signed-in routes answer 503.
 */
@Injectable()
export class SessionKeysService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SessionKeysService.name);
  private keys: VerificationKeys | undefined;
  /** The JWKs `keys` was built from: an unchanged answer keeps the same object (see below). */
  private loaded = '';
  private failedAttempts = 0;
  private lastError = 'not asked yet';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly rpc: RpcClient,
    readiness: ReadinessChecks,
  ) {
    readiness.add({
      name: 'session_keys',
      check: () =>
        this.keys
          ? Promise.resolve()
          : Promise.reject(
              new Error(`auth's keys are not loaded yet (rpc.auth.keys: ${this.lastError})`),
            ),
    });
  }

  onApplicationBootstrap(): void {
    void this.load();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  current(): VerificationKeys | undefined {
    return this.keys;
  }

  /** Fetches the keys now (also what the timer does), and schedules the next fetch. */
  async load(): Promise<void> {
    let next = REFRESH_MS;
    try {
      const jwks = await this.rpc.call(RPC.auth.keys, {}, CALL_TIMEOUT_MS);
      // Verified sessions are remembered per key set (VerifiedSessions): a new object only
      // when the keys changed, so a refresh every minute does not forget them all.
      const loaded = JSON.stringify(jwks.keys);
      if (!this.keys || loaded !== this.loaded) {
        this.keys = verificationKeys(jwks);
        this.loaded = loaded;
      }
      if (this.failedAttempts > 0) {
        this.logger.log(`session keys loaded after ${this.failedAttempts + 1} attempts`);
      }
      this.failedAttempts = 0;
    } catch (error) {
      this.lastError = (error as Error).message;
      if (this.keys) {
        // Keys we have stay valid; a refresh can wait for its next turn.
        this.logger.warn(`session keys not refreshed: ${this.lastError}`);
      } else {
        this.failedAttempts += 1;
        next = backoffDelay(this.failedAttempts, FIRST_LOAD_BACKOFF);
        if (this.failedAttempts % LOG_EVERY_ATTEMPTS === 1) {
          this.logger.warn(
            `session keys not loaded yet (attempt ${this.failedAttempts}, next in ${next} ms): ${this.lastError}`,
          );
        }
      }
    }
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), next).unref();
  }
}
