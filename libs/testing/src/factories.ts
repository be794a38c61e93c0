import { randomUUID } from 'node:crypto';
import type { TipFeedbackV1, TaskSyncedV1 } from '@oo/contracts';

/** A valid `tip.feedback` payload; override what the test is about. */
export function tipFeedbackData(overrides: Partial<TipFeedbackV1> = {}): TipFeedbackV1 {
  return {
    tipId: randomUUID(),
    taskId: 'task-1',
    action: 'done',
    reward: 1,
    policy: 'linucb-d5',
    features: [0.5, 0.866, 1, 0.2, 1],
    propensity: 0.95,
    ...overrides,
  };
}

/** A valid `task.synced` payload with `count` tasks. */
export function taskSyncedData(count = 3, overrides: Partial<TaskSyncedV1> = {}): TaskSyncedV1 {
  return {
    source: 'todoist',
    tasks: Array.from({ length: count }, (_, i) => ({
      taskId: `task-${i + 1}`,
      title: `Task ${i + 1}`,
      priority: (i % 4) + 1,
      due: null,
      addedAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
      isRecurring: false,
    })),
    ...overrides,
  };
}
