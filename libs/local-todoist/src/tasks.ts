import { opaqueId } from './ids.js';
import { isRecurringString, nextOccurrence } from './recurrence.js';
import type { Due, Task, TaskInput, TodoistUser, UserInput } from './types.js';

export type ItemEventName = 'item:added' | 'item:updated' | 'item:completed' | 'item:deleted';

export interface ItemEvent {
  name: ItemEventName;
  userId: string;
  task: Task;
  extra?: Record<string, unknown>;
}

export interface Completion {
  task: Task;
  completedAt: string;
  recurring: boolean;
}

interface StoredTask {
  /** Insertion order: what cursors point after (ids are opaque, so not they). */
  seq: number;
  task: Task;
}

function dueFrom(input: TaskInput): Due | null {
  if (!input.dueDate && !input.dueString) return null;
  const dateOrDatetime = input.dueDate ?? new Date().toISOString().slice(0, 10);
  const hasTime = dateOrDatetime.length > 10;
  const string = input.dueString ?? dateOrDatetime;
  return {
    date: dateOrDatetime.slice(0, 10),
    datetime: hasTime ? dateOrDatetime : null,
    timezone: hasTime && input.dueTimezone ? input.dueTimezone : null,
    is_recurring: isRecurringString(string),
    string,
    lang: 'en',
  };
}

/** Users, their tasks and completions: Todoist's data, with the app's own operations on it. */
export class TaskStore {
  private readonly users = new Map<string, TodoistUser>();
  private readonly tasks = new Map<string, StoredTask>();
  private readonly completions: Completion[] = [];
  private seq = 0;

  constructor(private readonly emit: (event: ItemEvent) => void) {}

  addUser(input: UserInput = {}): TodoistUser {
    const id = input.id ?? String(10_000_000 + this.users.size + 1);
    const user: TodoistUser = {
      id,
      email: input.email ?? `user${id}@example.com`,
      full_name: input.fullName ?? `Todoist User ${id}`,
      timezone: input.timezone ?? 'Europe/Paris',
      inbox_project_id: opaqueId(),
    };
    this.users.set(id, user);
    return user;
  }

  user(id: string): TodoistUser | undefined {
    return this.users.get(id);
  }

  allUsers(): TodoistUser[] {
    return [...this.users.values()];
  }

  addTask(userId: string, input: TaskInput, notify = true): Task {
    const user = this.requireUser(userId);
    const now = new Date().toISOString();
    const task: Task = {
      id: opaqueId(),
      user_id: userId,
      project_id: input.projectId ?? user.inbox_project_id,
      section_id: null,
      parent_id: null,
      added_by_uid: userId,
      assigned_by_uid: null,
      responsible_uid: null,
      labels: input.labels ?? [],
      deadline: null,
      duration: null,
      checked: false,
      is_deleted: false,
      added_at: input.addedAt ?? now,
      completed_at: null,
      updated_at: now,
      due: dueFrom(input),
      priority: input.priority ?? 1,
      child_order: this.seq + 1,
      content: input.content,
      description: input.description ?? '',
      day_order: -1,
      is_collapsed: false,
      note_count: 0,
    };
    this.seq += 1;
    this.tasks.set(task.id, { seq: this.seq, task });
    if (notify) this.emit({ name: 'item:added', userId, task: structuredClone(task) });
    return structuredClone(task);
  }

  updateTask(taskId: string, patch: Partial<TaskInput>): Task {
    const stored = this.requireTask(taskId);
    const old = structuredClone(stored.task);
    const task = stored.task;
    if (patch.content !== undefined) task.content = patch.content;
    if (patch.description !== undefined) task.description = patch.description;
    if (patch.priority !== undefined) task.priority = patch.priority;
    if (patch.labels !== undefined) task.labels = patch.labels;
    if (patch.projectId !== undefined) task.project_id = patch.projectId;
    if (patch.dueDate !== undefined || patch.dueString !== undefined)
      task.due = dueFrom({ content: task.content, ...patch });
    task.updated_at = new Date().toISOString();
    this.emit({
      name: 'item:updated',
      userId: task.user_id,
      task: structuredClone(task),
      extra: { old_item: old, update_intent: 'item_updated' },
    });
    return structuredClone(task);
  }

  /**
   * Completes a task as Todoist does: a recurring one moves to its next occurrence and
   * stays open (`item:updated` + `update_intent: item_completed`), any other is checked
   * (`item:completed`). Completing a checked task again changes nothing.
   */
  completeTask(taskId: string): Task {
    const stored = this.requireTask(taskId);
    const task = stored.task;
    if (task.checked || task.is_deleted) return structuredClone(task);
    const now = new Date();
    const old = structuredClone(task);
    task.updated_at = now.toISOString();
    if (task.due?.is_recurring) {
      task.due = nextOccurrence(task.due, now);
      this.completions.push({
        task: structuredClone(old),
        completedAt: now.toISOString(),
        recurring: true,
      });
      this.emit({
        name: 'item:updated',
        userId: task.user_id,
        task: structuredClone(task),
        extra: { old_item: old, update_intent: 'item_completed' },
      });
    } else {
      task.checked = true;
      task.completed_at = now.toISOString();
      this.completions.push({
        task: structuredClone(task),
        completedAt: task.completed_at,
        recurring: false,
      });
      this.emit({ name: 'item:completed', userId: task.user_id, task: structuredClone(task) });
    }
    return structuredClone(task);
  }

  deleteTask(taskId: string): void {
    const stored = this.requireTask(taskId);
    stored.task.is_deleted = true;
    stored.task.updated_at = new Date().toISOString();
    this.tasks.delete(taskId);
    this.emit({ name: 'item:deleted', userId: stored.task.user_id, task: stored.task });
  }

  task(taskId: string): Task | null {
    const stored = this.tasks.get(taskId);
    return stored ? structuredClone(stored.task) : null;
  }

  ownedTask(userId: string, taskId: string): Task | null {
    const stored = this.tasks.get(taskId);
    return stored && stored.task.user_id === userId ? stored.task : null;
  }

  /** A user's open tasks after position `afterSeq`, with the position of each. */
  openTasks(userId: string, afterSeq = 0): { seq: number; task: Task }[] {
    return [...this.tasks.values()]
      .filter(({ seq, task }) => task.user_id === userId && !task.checked && seq > afterSeq)
      .map(({ seq, task }) => ({ seq, task: structuredClone(task) }));
  }

  /** Non-recurring completions of a user in [since, until], newest first (as Todoist lists them). */
  completedBetween(userId: string, since: Date, until: Date): Completion[] {
    return this.completions
      .filter(
        (c) =>
          !c.recurring &&
          c.task.user_id === userId &&
          new Date(c.completedAt) >= since &&
          new Date(c.completedAt) <= until,
      )
      .reverse();
  }

  completionCount(taskId: string): number {
    return this.completions.filter((c) => c.task.id === taskId).length;
  }

  private requireUser(userId: string): TodoistUser {
    const user = this.users.get(userId);
    if (!user) throw new NotFound(`no user ${userId}`);
    return user;
  }

  private requireTask(taskId: string): StoredTask {
    const stored = this.tasks.get(taskId);
    if (!stored) throw new NotFound(`no task ${taskId}`);
    return stored;
  }
}

export class NotFound extends Error {}
