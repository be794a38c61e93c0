import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BackgroundLoop } from '@oo/platform';
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
  private readonly loop: BackgroundLoop<number>;

  constructor(private readonly recommender: RecommendService) {
    this.loop = new BackgroundLoop({
      everyMs: RELAY_MS,
      run: async () => {
        const relayed = await this.recommender.publishPendingServed(
          new Date(Date.now() - GRACE_MS),
        );
        if (relayed) this.logger.log(`tip_served_relay relayed=${relayed}`);
        return relayed;
      },
      onError: (error) => {
        this.logger.warn(`tip.served relay failed: ${(error as Error).message}`);
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
