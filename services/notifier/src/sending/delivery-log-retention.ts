import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BackgroundLoop } from '@oo/platform';
import { DeliveryLogRepository } from './delivery-log.repository.js';

/** The delivery log answers "what happened to my pushes lately"; a month of it is plenty. */
export const DELIVERY_LOG_RETENTION_MS = 30 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/** Keeps the delivery log to its last 30 days (every instance prunes; the deletes commute). */
@Injectable()
export class DeliveryLogRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryLogRetention.name);
  private readonly loop: BackgroundLoop<number>;

  constructor(private readonly log: DeliveryLogRepository) {
    this.loop = new BackgroundLoop({
      everyMs: PRUNE_EVERY_MS,
      run: () => this.log.prune(new Date(Date.now() - DELIVERY_LOG_RETENTION_MS)),
      onError: (error) => {
        this.logger.warn(`delivery log pruning failed: ${(error as Error).message}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
