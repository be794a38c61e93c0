import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BackgroundLoop } from '@oo/platform';
import { TipRepository } from '../tips/tip.repository.js';

const SWEEP_MS = 10 * 60_000;
/**
 * A push is sent within a minute or two of its decision (the notifier's retries are bounded, a
 * long Retry-After makes it give up and decide afresh later). The confirmation can lag far
 * longer (this service down, a consumer backlog), and a push the user got must still become
 * its tip, so only a decision this old is taken as never sent.
 */
export const PUSH_DECISION_TTL_MS = 24 * 3_600_000;

/** Drops push decisions no device accepted: never served, so never expired with a reward. */
@Injectable()
export class PushDecisionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PushDecisionSweeper.name);
  private readonly loop: BackgroundLoop<number>;

  constructor(private readonly tips: TipRepository) {
    this.loop = new BackgroundLoop({
      everyMs: SWEEP_MS,
      run: () => this.sweep(),
      onError: (error) => {
        this.logger.warn(`push decision sweep failed: ${(error as Error).message}`);
      },
    });
  }

  async sweep(now = new Date()): Promise<number> {
    const discarded = await this.tips.discardPushDecisions(
      new Date(now.getTime() - PUSH_DECISION_TTL_MS),
    );
    if (discarded) this.logger.log(`push_decisions_discarded count=${discarded}`);
    return discarded;
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
