import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SyncedTask } from '@oo/contracts';
import { NATS_CONNECTION, type NatsConnection } from '@oo/messaging';

/** `task.synced` and `rpc.integrations.tasks` carry at most this many tasks (their schemas). */
export const MAX_SYNCED_TASKS = 5000;

/** NATS's default `max_payload`, for the moment before the server has sent its INFO. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * What one message holds besides the task array: the envelope (id, type, userId ≤ 64 chars,
 * occurredAt, source) and the `Nats-Msg-Id` header for `task.synced`; Nest's
 * `{response: {…, syncedAt, status}, isDisposed, id}` for the reply. A few hundred bytes each;
 * the rest is margin.
 */
export const MESSAGE_OVERHEAD_BYTES = 8 * 1024;

export interface TaskLimits {
  maxTasks: number;
  /** Bytes the JSON array of tasks may take. */
  maxBytes: number;
}

export interface CappedTasks {
  tasks: SyncedTask[];
  /** Tasks left out. */
  dropped: number;
  /** Bytes of the JSON array of all the tasks, before capping. */
  listedBytes: number;
}

/**
 * The tasks that fit in one NATS message: all of them, in the order given, when they do;
 * otherwise the most relevant first (see `byRelevance`) for as long as both the count and the
 * bytes allow. By bytes, not count: 5,000 tasks with ~60-character titles already take
 * ~1.3 MB of JSON, and one 2,000-character title ~2.2 KB.
 */
export function capTasks(tasks: readonly SyncedTask[], limits: TaskLimits): CappedTasks {
  const sizes = tasks.map(encodedBytes);
  const listedBytes = arrayBytes(sizes);
  if (tasks.length <= limits.maxTasks && listedBytes <= limits.maxBytes) {
    return { tasks: [...tasks], dropped: 0, listedBytes };
  }
  const ranked = tasks.map((task, i) => ({ task, bytes: sizes[i]! })).sort(byRelevance);
  const kept: SyncedTask[] = [];
  let bytes = 2; // []
  for (const { task, bytes: size } of ranked) {
    const next = bytes + size + (kept.length > 0 ? 1 : 0);
    if (kept.length === limits.maxTasks || next > limits.maxBytes) break;
    kept.push(task);
    bytes = next;
  }
  return { tasks: kept, dropped: tasks.length - kept.length, listedBytes };
}

/**
 * Highest priority first (the user said it matters), then the soonest due — overdue ones
 * first, undated last — then by id, so the same set always keeps the same tasks and its
 * digest does not flap between syncs.
 */
function byRelevance(
  a: { task: SyncedTask; bytes: number },
  b: { task: SyncedTask; bytes: number },
): number {
  return (
    b.task.priority - a.task.priority ||
    compareDue(a.task.due, b.task.due) ||
    (a.task.taskId < b.task.taskId ? -1 : a.task.taskId > b.task.taskId ? 1 : 0)
  );
}

/** Day first (all three due forms start with `YYYY-MM-DD`), then the time as written. */
function compareDue(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The tasks `task_snapshot` keeps: every open task, or the `MAX_SYNCED_TASKS` most relevant
 * when there are more — by count only, never by bytes. Closing a done task and reconciling
 * need every task the user has open, not only those that fit in one message; the wire set
 * (`TaskPayloadCap.cap`) ranks the same way, so it is always a subset of this one.
 */
export function snapshotTasks(tasks: readonly SyncedTask[]): SyncedTask[] {
  return capTasks(tasks, { maxTasks: MAX_SYNCED_TASKS, maxBytes: Number.POSITIVE_INFINITY }).tasks;
}

function encodedBytes(task: SyncedTask): number {
  return Buffer.byteLength(JSON.stringify(task));
}

function arrayBytes(sizes: readonly number[]): number {
  return sizes.reduce((sum, size) => sum + size, 2) + Math.max(0, sizes.length - 1);
}

/**
 * Caps a synced set to what the NATS server this instance is connected to accepts in one
 * message (`max_payload` from its INFO): without it, `task.synced` and the
 * `rpc.integrations.tasks` reply of a user with many or long tasks would fail to publish,
 * and the recommender would see no tasks at all rather than most of them.
 */
@Injectable()
export class TaskPayloadCap {
  private readonly logger = new Logger(TaskPayloadCap.name);

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  limits(): TaskLimits {
    const maxPayload = this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
    return { maxTasks: MAX_SYNCED_TASKS, maxBytes: maxPayload - MESSAGE_OVERHEAD_BYTES };
  }

  cap(userId: string, tasks: readonly SyncedTask[]): SyncedTask[] {
    const limits = this.limits();
    const capped = capTasks(tasks, limits);
    if (capped.dropped > 0) {
      // Counts and sizes only: never a task's text.
      this.logger.warn(
        `${userId} has ${tasks.length} open tasks (${capped.listedBytes} bytes); keeping the ` +
          `${capped.tasks.length} most relevant, within ${limits.maxTasks} tasks and ` +
          `${limits.maxBytes} bytes`,
      );
    }
    return capped.tasks;
  }
}
