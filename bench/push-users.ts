/**
 * The simulated users of `npm run bench -- push`, shared by the bench (to check what each device
 * received) and its stand-in recommender (bench/push-stand-ins.ts, to answer for them): user i is
 * `bench_push_<i>` and has one open task, the i-th of `realisticTasks`.
 */
import { randomUUID } from 'node:crypto';
import type { Tip } from '@oo/contracts';
import { realisticTasks } from './support/tasks.js';

const PREFIX = 'bench_push_';

export function pushUserId(index: number): string {
  return `${PREFIX}${index}`;
}

/** The user's index, or undefined for an id the bench did not make. */
export function pushUserIndex(userId: string): number | undefined {
  if (!userId.startsWith(PREFIX)) return undefined;
  const index = Number(userId.slice(PREFIX.length));
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}

export interface PushUserTask {
  taskId: string;
  title: string;
  priority: number;
  due: string | null;
}

/** Every user's one task, by index: built once, `realisticTasks` is O(count). */
export function pushUserTasks(count: number): PushUserTask[] {
  return realisticTasks(count).map((task, index) => ({
    taskId: `task_${index}`,
    title: task.content,
    priority: task.priority ?? 1,
    due: task.dueDate ?? null,
  }));
}

/** The tip a recommender would answer for the task (what the notifier turns into a payload). */
export function pushTip(task: PushUserTask, policy: string, servedAt: string, tipId?: string): Tip {
  return {
    tipId: tipId ?? randomUUID(),
    taskId: task.taskId,
    title: task.title,
    source: 'todoist',
    priority: task.priority,
    due: task.due,
    servedAt,
    url: null,
    why: { kind: 'learning', reasons: [], summary: 'Still learning what suits you.' },
    explored: false,
    policy,
  };
}
