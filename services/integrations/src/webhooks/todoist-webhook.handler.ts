import { Injectable, Logger } from '@nestjs/common';
import { CompletionLedger, completionKey } from '../completions/completion-ledger.js';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { TODOIST } from '../sync/sync.service.js';
import { TaskCache } from '../sync/task-cache.js';
import { TaskSyncCoordinator } from '../sync/task-sync.coordinator.js';
import { normaliseTask } from '../todoist/normalise.js';
import type { TodoistTask } from '../todoist/todoist-api.types.js';
import { isItemEvent, type ItemEvent, type OtherEvent } from './todoist-webhook-body.js';

/** `item:updated`'s intent when a recurring task was completed: its due moved, it stays open. */
const RECURRING_COMPLETION = 'item_completed';

/**
 * What a verified, parsed Todoist delivery does: a completion is recorded in the ledger (the
 * one `signals.task.completed`), and any item change marks the user's cached tasks stale so
 * the next `rpc.integrations.tasks` reads Todoist again; a deletion also syncs the user a
 * moment later, in the background. Never waits for Todoist: a webhook is answered at once, and
 * a slow answer would make Todoist retry.
 */
@Injectable()
export class TodoistWebhookHandler {
  private readonly logger = new Logger(TodoistWebhookHandler.name);

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly ledger: CompletionLedger,
    private readonly cache: TaskCache,
    private readonly coordinator: TaskSyncCoordinator,
  ) {}

  async handle(event: ItemEvent | OtherEvent, deliveryId: string | undefined): Promise<void> {
    if (!isItemEvent(event)) return;
    const connection = await this.connections.findByProviderUser(TODOIST, event.todoistUserId);
    if (!connection) {
      // Never connected, disconnected or deleted: nothing of theirs is kept to update.
      this.logger.debug(
        `Todoist webhook for no connected user dropped (todoist user ${event.todoistUserId}, delivery ${deliveryId ?? 'none'})`,
      );
      return;
    }
    const completed = completedTask(event);
    if (completed) {
      await this.ledger.record({
        userId: connection.userId,
        provider: TODOIST,
        taskId: completed.id,
        // The task as it was before it was completed, as every path keys it.
        completionKey: completionKey(normaliseTask(completed, event.triggeredAt.toISOString())),
        completedAt: completedAt(event),
        via: 'webhook',
      });
    } else if (isRecurringCompletion(event)) {
      this.logger.warn(
        `Todoist recurring completion without old_item skipped (task ${event.task.id}, delivery ${deliveryId ?? 'none'}); reconcile counts it`,
      );
    }
    // A task done or deleted leaves the answered set now, not after the refresh: the next tip
    // must not offer it. Any other change only makes the next read refresh.
    if (completed || isRecurringCompletion(event) || event.name === 'item:deleted') {
      await this.cache.hideDone(connection.userId, event.task.id);
      // A completion reaches the task set's readers as `task.completed`; a deletion only as
      // the next `task.synced`, which should not wait for someone to ask for the tasks.
      if (event.name === 'item:deleted') this.coordinator.syncSoon(connection.userId);
    } else {
      await this.cache.markStale(connection.userId);
    }
  }
}

function isRecurringCompletion(event: ItemEvent): boolean {
  return event.name === 'item:updated' && event.updateIntent === RECURRING_COMPLETION;
}

/** The task a delivery completes, as it was before: undefined when it completes none. */
function completedTask(event: ItemEvent): TodoistTask | undefined {
  if (event.name === 'item:completed') return event.task;
  if (isRecurringCompletion(event)) return event.oldTask;
  return undefined;
}

function completedAt(event: ItemEvent): Date {
  const at = event.task.completed_at ? new Date(event.task.completed_at) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : event.triggeredAt;
}
