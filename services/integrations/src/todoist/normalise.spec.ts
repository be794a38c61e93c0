import { normaliseTask, taskSetDigest } from './normalise.js';
import type { TodoistTask } from './todoist-api.types.js';

const syncedAt = '2026-12-02T12:00:00.000Z';

function todoistTask(overrides: Partial<TodoistTask> = {}): TodoistTask {
  return {
    id: '6X7rM8997g3RQmvh',
    content: 'Call the dentist',
    priority: 1,
    due: null,
    added_at: '2026-11-30T08:00:00.000000Z',
    ...overrides,
  };
}

describe('normaliseTask', () => {
  it("keeps Todoist's API priority as it is: 4 is urgent there and here", () => {
    expect(
      [1, 2, 3, 4].map((p) => normaliseTask(todoistTask({ priority: p }), syncedAt).priority),
    ).toEqual([1, 2, 3, 4]);
    expect(normaliseTask(todoistTask({ priority: 9 }), syncedAt).priority).toBe(4);
  });

  it('reads a task without a due date', () => {
    expect(normaliseTask(todoistTask(), syncedAt)).toEqual({
      taskId: '6X7rM8997g3RQmvh',
      title: 'Call the dentist',
      priority: 1,
      due: null,
      dueTimezone: null,
      addedAt: '2026-11-30T08:00:00.000000Z',
      isRecurring: false,
      url: 'https://app.todoist.com/app/task/6X7rM8997g3RQmvh',
    });
  });

  it('keeps an all-day date as a date, without a zone', () => {
    const task = todoistTask({
      due: { date: '2026-12-03', is_recurring: true, string: 'every thu', timezone: null },
    });
    expect(normaliseTask(task, syncedAt)).toMatchObject({
      due: '2026-12-03',
      dueTimezone: null,
      isRecurring: true,
    });
  });

  it('keeps a floating time floating: no offset, no zone (read on the user clock)', () => {
    const task = todoistTask({ due: { date: '2026-12-03T09:30:00', is_recurring: false } });
    expect(normaliseTask(task, syncedAt)).toMatchObject({
      due: '2026-12-03T09:30:00',
      dueTimezone: null,
    });
  });

  it('prefers the fixed instant and names its zone', () => {
    const task = todoistTask({
      due: {
        date: '2026-12-03',
        datetime: '2026-12-03T08:30:00Z',
        timezone: 'Europe/Berlin',
        is_recurring: false,
      },
    });
    expect(normaliseTask(task, syncedAt)).toMatchObject({
      due: '2026-12-03T08:30:00Z',
      dueTimezone: 'Europe/Berlin',
    });
  });

  it('turns a UTC offset zone into its Etc name and drops a zone nobody knows', () => {
    const fixed = (timezone: string) =>
      normaliseTask(
        todoistTask({ due: { date: '2026-12-03T08:30:00Z', timezone, is_recurring: false } }),
        syncedAt,
      ).dueTimezone;
    expect(fixed('UTC+02:00')).toBe('Etc/GMT-2');
    expect(fixed('UTC-05:00')).toBe('Etc/GMT+5');
    expect(fixed('Mars/Olympus_Mons')).toBeNull();
  });

  it('falls back to the sync time for a task without added_at, and trims an endless title', () => {
    const task = normaliseTask(
      todoistTask({ added_at: null, content: 'x'.repeat(5000) }),
      syncedAt,
    );
    expect(task.addedAt).toBe(syncedAt);
    expect(task.title).toHaveLength(2000);
  });
});

describe('taskSetDigest', () => {
  const a = normaliseTask(todoistTask({ id: 'a' }), syncedAt);
  const b = normaliseTask(todoistTask({ id: 'b', content: 'Buy milk' }), syncedAt);

  it('is the same for the same set in any order', () => {
    expect(taskSetDigest([a, b])).toBe(taskSetDigest([b, a]));
  });

  it('changes when a task is added, removed or changed', () => {
    const digest = taskSetDigest([a, b]);
    expect(taskSetDigest([a])).not.toBe(digest);
    expect(taskSetDigest([a, b, { ...b, taskId: 'c' }])).not.toBe(digest);
    expect(taskSetDigest([a, { ...b, priority: 4 }])).not.toBe(digest);
    expect(taskSetDigest([a, { ...b, due: '2026-12-24' }])).not.toBe(digest);
    expect(taskSetDigest([a, { ...b, dueTimezone: 'Europe/Berlin' }])).not.toBe(digest);
  });
});
