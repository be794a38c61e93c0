import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RecommendService } from './recommend.service.js';

/** How often each instance looks for `tip.served` events that never reached JetStream. */
const RELAY_MS = 30_000;
/** Younger tips are still being published by their own request. */
const GRACE_MS = 30_000;

/**
 * The `tip.served` outbox's relay: every instance, every 30 s, publishes what a crash or a
 * JetStream outage left unpublished (same event id, so instances racing publish it once).
 */
@Injectable()
export class ServedRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ServedRelay.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly recommender: RecommendService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () =>
        void this.recommender
          .publishPendingServed(new Date(Date.now() - GRACE_MS))
          .then((published) => {
            if (published) this.logger.log(`relayed ${published} tip.served event(s)`);
          })
          .catch((error: unknown) => {
            this.logger.warn(`tip.served relay failed: ${(error as Error).message}`);
          }),
      RELAY_MS,
    ).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
