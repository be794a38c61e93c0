import { Injectable, Logger } from '@nestjs/common';
import type { Envelope } from '@oo/contracts';
import { markProcessed } from '@oo/database';
import { InvalidEventError } from '@oo/messaging';
import { v5 as uuidv5 } from 'uuid';
import {
  CompletionLedger,
  completionKey,
  type Completion,
} from '../completions/completion-ledger.js';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { TODOIST } from '../sync/sync.service.js';
import { TaskCache } from '../sync/task-cache.js';
import { TaskSnapshotRepository } from '../sync/task-snapshot.repository.js';
import { TokenSource } from '../sync/token-source.js';
import { TodoistApiClient } from '../todoist/todoist-api.client.js';
import { TodoistRequestRejected, TodoistUnauthorized } from '../todoist/todoist-errors.js';
import { CloseIntents } from './close-intents.js';

/** The `processed_event` consumer name of this path. */
export const CLOSE_ON_DONE_CONSUMER = 'integrations.close-on-done';

/**
 * Names `X-Request-Id`s after the completion (uuid v5): every event asking for it — a
 * redelivery, a double tap, a second tip for the task — repeats the same close.
 */
const CLOSE_REQUEST_NAMESPACE = 'c1d7e0a4-5b2f-4e86-9f3a-7a64d2b8e915';

/** What one feedback event came to; logged, and what the tests read back. */
export type CloseOutcome =
  | 'not_a_done' // another action, or a done oO reported itself (webhook, reconcile, expiry)
  | 'already_handled' // processed_event holds the event: a redelivery after success
  | 'not_connected'
  // The token was refused before: acked and dropped, so this done is never sent — not after
  // a reconnect either (a close the user then makes in Todoist is counted by webhook/reconcile).
  | 'needs_reconnect'
  | 'task_not_open' // not among the user's open tasks as last synced: closed or deleted
  | 'already_completed' // another path (webhook, reconcile) counted this completion first
  | 'task_gone' // Todoist answered 404: deleted, or not the user's
  | 'token_refused' // Todoist answered 401 and a refresh did not cure it: needs_reconnect
  | 'close_forbidden' // Todoist answered 403: the user may not close it (a shared project)
  | 'closed';

/**
 * The `X-Request-Id` of the close that completes `completion`: the same for every event that
 * asks for it, so Todoist acts on one of them and answers the rest without closing again.
 */
export function closeRequestId(
  completion: Pick<Completion, 'userId' | 'provider' | 'taskId' | 'completionKey'>,
): string {
  const { userId, provider, taskId, completionKey: key } = completion;
  return uuidv5(`${userId}:${provider}:${taskId}:${key}`, CLOSE_REQUEST_NAMESPACE);
}

/**
 * "Done" on a tip closes its task at Todoist, once: `signals.tip.feedback` with `action: done`
 * from the user (`source` absent or `user`) → `POST /tasks/{id}/close`, then the completion
 * into the `CompletionLedger` (`via: oo` — unless a webhook or reconcile claimed it first, and
 * then with theirs) and the cached task set marked stale, then the event's `processed_event`
 * mark.
 *
 * The close is at Todoist and cannot share a transaction with the mark, so every step is safe
 * to repeat instead: the close carries an `X-Request-Id` derived from the completion — user,
 * task and completion key, not the event — so Todoist answers a repeat without closing again,
 * whether it is a redelivery or another event for the same completion handled at the same
 * time (a double tap: both pass the ledger check before either records); the ledger claims a
 * completion once, and a completion already in the ledger is never closed again — for a
 * recurring task that would skip its next date. A crash anywhere leaves the event unacked;
 * its redelivery finishes — with the completion key the first delivery kept (`CloseIntents`),
 * not the snapshot's, which a sync meanwhile may have moved to a recurring task's next date.
 *
 * Failures: 401 → the token refreshed once and the close sent again; still 401 → connection
 * `needs_reconnect`, acked (retrying a refused token helps no one); 403 → acked, nothing
 * counted, the connection left as it is (the token is good, this task is not the user's to
 * close); 404 → acked, nothing counted (deleted, or closed and not found — webhook or
 * reconcile count a real completion); another 4xx → dead-lettered (the request is wrong and
 * stays wrong); 429, budget spent, 5xx, timeouts → thrown, so the consumer naks with back-off
 * until its delivery limit, then dead-letters.
 */
@Injectable()
export class CloseOnDone {
  private readonly logger = new Logger(CloseOnDone.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly connections: ConnectionRepository,
    private readonly snapshots: TaskSnapshotRepository,
    private readonly tokens: TokenSource,
    private readonly todoist: TodoistApiClient,
    private readonly ledger: CompletionLedger,
    private readonly cache: TaskCache,
    private readonly intents: CloseIntents,
  ) {}

  async handle(event: Envelope<'tip.feedback'>): Promise<CloseOutcome> {
    const outcome = await this.close(event);
    if (outcome !== 'not_a_done') {
      this.logger.log(
        `close_on_done ${outcome} user=${event.userId} task=${event.data.taskId} event=${event.id}`,
      );
    }
    return outcome;
  }

  private async close(event: Envelope<'tip.feedback'>): Promise<CloseOutcome> {
    const { userId, data } = event;
    if (data.action !== 'done' || (data.source ?? 'user') !== 'user') return 'not_a_done';
    if (await this.handled(event.id)) return 'already_handled';

    const connection = await this.connections.find(userId, TODOIST);
    if (!connection) return 'not_connected';
    if (connection.status === 'needs_reconnect') return this.done(event, 'needs_reconnect');

    const key = await this.completionKeyOf(event);
    if (key === undefined) return this.done(event, 'task_not_open');
    const completion = {
      userId,
      provider: TODOIST,
      taskId: data.taskId,
      completionKey: key,
      completedAt: new Date(event.occurredAt),
      via: 'oo' as const,
    };
    if (await this.ledger.has(userId, TODOIST, data.taskId, key)) {
      // Counted already (by another path, or by an earlier delivery that died before its
      // mark): closing again would complete a recurring task's next date. `record` finishes
      // a claim whose event did not go out.
      await this.ledger.record(completion);
      return this.done(event, 'already_completed');
    }

    try {
      // An expired or refused token is refreshed once and the close sent again (same id).
      const sent = await this.tokens.withAccessToken(userId, TODOIST, async (token) => {
        await this.todoist.closeTask({ userId, token }, data.taskId, closeRequestId(completion));
        return true;
      });
      if (sent === undefined) return 'not_connected';
    } catch (error) {
      if (error instanceof TodoistUnauthorized) {
        await this.connections.setStatus(userId, TODOIST, 'needs_reconnect');
        return this.done(event, 'token_refused');
      }
      if (error instanceof TodoistRequestRejected && error.status === 403) {
        return this.done(event, 'close_forbidden');
      }
      if (error instanceof TodoistRequestRejected && error.status === 404) {
        await this.cache.hideDone(userId, data.taskId);
        return this.done(event, 'task_gone');
      }
      if (error instanceof TodoistRequestRejected) {
        throw new InvalidEventError(`Todoist rejected the close (${error.status})`);
      }
      throw error;
    }

    // Disconnected (or deleted) while the close was on its way: nothing may be kept of them.
    if (await this.connections.find(userId, TODOIST)) {
      await this.ledger.record(completion);
      // Out of the answered set at once: the next tip must not offer the task just done.
      await this.cache.hideDone(userId, data.taskId);
    }
    return this.done(event, 'closed');
  }

  /**
   * The completion key this done closes: the one an earlier delivery of it kept, else that of
   * the task as last synced, i.e. before this close (the due it completes), kept before the
   * close is sent. Undefined when the task is not among the user's open tasks.
   */
  private async completionKeyOf(event: Envelope<'tip.feedback'>): Promise<string | undefined> {
    const { userId, data } = event;
    const kept = await this.intents.find(userId, event.id);
    if (kept !== undefined) return kept;
    const task = (await this.snapshots.find(userId, TODOIST))?.tasks.find(
      (candidate) => candidate.taskId === data.taskId,
    );
    if (!task) return undefined;
    return this.intents.keep(userId, event.id, completionKey(task));
  }

  private async handled(eventId: string): Promise<boolean> {
    const mark = await this.prisma.processedEvent.findUnique({
      where: { consumer_eventId: { consumer: CLOSE_ON_DONE_CONSUMER, eventId } },
      select: { eventId: true },
    });
    return mark !== null;
  }

  /** The event's effects are all in place: a later delivery of it does nothing. */
  private async done(
    event: Envelope<'tip.feedback'>,
    outcome: CloseOutcome,
  ): Promise<CloseOutcome> {
    await markProcessed(this.prisma, CLOSE_ON_DONE_CONSUMER, event.id);
    return outcome;
  }
}
