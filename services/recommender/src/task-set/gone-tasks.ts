import { Injectable, Logger } from '@nestjs/common';
import type { Envelope } from '@oo/contracts';
import { RecommenderMetrics } from '../metrics/recommender.metrics.js';
import { TipRepository } from '../tips/tip.repository.js';

/**
 * An open tip whose task has left the user's open tasks can no longer be acted on: it ends
 * (`task_gone`) as soon as integrations reports the set without it, so that serving the open
 * tip again needs no call to integrations (`RecommendService` still asks now and then, for an
 * event that never came). A completion is not this: `task.completed` is a delayed reward,
 * which ends the tip with its reaction.
 */
@Injectable()
export class GoneTasks {
  private readonly logger = new Logger(GoneTasks.name);

  constructor(
    private readonly tips: TipRepository,
    private readonly metrics: RecommenderMetrics,
  ) {}

  /** `task.synced`: the user's whole open set at the source, as of `occurredAt`. */
  async afterSync(event: Envelope<'task.synced'>): Promise<string[]> {
    const openTaskIds = event.data.tasks.map((task) => task.taskId);
    return this.end(event, event.data.source, openTaskIds, 'sync');
  }

  /** `integration.disconnected`: none of the source's tasks can be offered any more. */
  async afterDisconnect(event: Envelope<'integration.disconnected'>): Promise<string[]> {
    return this.end(event, event.data.provider, null, 'disconnect');
  }

  private async end(
    event: Envelope<'task.synced'> | Envelope<'integration.disconnected'>,
    provider: string,
    openTaskIds: string[] | null,
    via: 'sync' | 'disconnect',
  ): Promise<string[]> {
    const ended = await this.tips.endTipsOfGoneTasks(
      event.userId,
      provider,
      openTaskIds,
      // For task.synced: when integrations began reading the set, so a tip decided while
      // the listing ran is not judged by it.
      new Date(event.occurredAt),
    );
    if (ended.length > 0) {
      this.metrics.tipsEndedTaskGone.inc({ via }, ended.length);
      this.logger.log(
        `tip_task_gone via=${via} user=${event.userId} tips=${ended.join(',')} event=${event.id}`,
      );
    }
    return ended;
  }
}
