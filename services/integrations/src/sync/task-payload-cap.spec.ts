import type { SyncedTask } from '@oo/contracts';
import { capTasks, MAX_SYNCED_TASKS, MESSAGE_OVERHEAD_BYTES } from './task-payload-cap.js';

const ONE_MB = 1024 * 1024;
const natsDefault = { maxTasks: MAX_SYNCED_TASKS, maxBytes: ONE_MB - MESSAGE_OVERHEAD_BYTES };

function task(n: number, overrides: Partial<SyncedTask> = {}): SyncedTask {
  const taskId = `task${String(n).padStart(12, '0')}`;
  return {
    taskId,
    title: `Task number ${n}: reply to the landlord about the heating`,
    priority: 1,
    due: null,
    dueTimezone: null,
    addedAt: '2026-11-01T09:00:00.000000Z',
    isRecurring: false,
    url: `https://app.todoist.com/app/task/${taskId}`,
    ...overrides,
  };
}

const many = (count: number, make: (n: number) => SyncedTask = task) =>
  Array.from({ length: count }, (_, i) => make(i + 1));

const jsonBytes = (tasks: SyncedTask[]) => Buffer.byteLength(JSON.stringify(tasks));

describe('capTasks', () => {
  it('keeps a set that fits as it is, in the order given', () => {
    const tasks = many(200).reverse();

    const capped = capTasks(tasks, natsDefault);

    expect(capped.tasks).toEqual(tasks);
    expect(capped.dropped).toBe(0);
    expect(capped.listedBytes).toBe(jsonBytes(tasks));
  });

  it('cuts 5,000 tasks of ~60-character titles, which take more than 1 MB, to what fits', () => {
    const tasks = many(5000);
    expect(jsonBytes(tasks)).toBeGreaterThan(ONE_MB);

    const capped = capTasks(tasks, natsDefault);

    expect(jsonBytes(capped.tasks)).toBeLessThanOrEqual(natsDefault.maxBytes);
    // Not far below: one more task would not have fitted.
    expect(jsonBytes(capped.tasks) + jsonBytes([task(1)])).toBeGreaterThan(natsDefault.maxBytes);
    expect(capped.tasks.length + capped.dropped).toBe(5000);
    expect(capped.tasks.length).toBeGreaterThan(3000);
  });

  it('fits 5,000 tasks of 2,000-character titles, counting UTF-8 bytes, not characters', () => {
    const tasks = many(5000, (n) => task(n, { title: `${n} ${'é'.repeat(1990)}` }));

    const capped = capTasks(tasks, natsDefault);

    expect(jsonBytes(capped.tasks)).toBeLessThanOrEqual(natsDefault.maxBytes);
    expect(capped.tasks.length).toBeGreaterThan(200);
    expect(capped.dropped).toBe(5000 - capped.tasks.length);
  });

  it('keeps the most relevant: highest priority, then soonest due (undated last)', () => {
    const longTitle = 'x'.repeat(2000);
    const tasks = [
      task(1, { title: longTitle }),
      task(2, { title: longTitle, due: '2026-12-24' }),
      task(3, { title: longTitle, priority: 4 }),
      task(4, { title: longTitle, due: '2025-01-01' }),
      task(5, { title: longTitle, priority: 4, due: '2026-12-03T09:00:00Z' }),
    ];
    const fitsThree = jsonBytes([tasks[4]!, tasks[2]!, tasks[3]!]) + 10;

    const capped = capTasks(tasks, { maxTasks: 5000, maxBytes: fitsThree });

    expect(capped.tasks.map((t) => t.taskId)).toEqual([
      tasks[4]!.taskId, // urgent, due
      tasks[2]!.taskId, // urgent, undated
      tasks[3]!.taskId, // normal, overdue
    ]);
  });

  it('keeps the same tasks whatever order Todoist lists them in', () => {
    const tasks = many(300, (n) => task(n, { priority: (n % 4) + 1 }));
    const limits = { maxTasks: 100, maxBytes: ONE_MB };

    const once = capTasks(tasks, limits).tasks.map((t) => t.taskId);
    const reversed = capTasks([...tasks].reverse(), limits).tasks.map((t) => t.taskId);

    expect(once).toHaveLength(100);
    expect(reversed).toEqual(once);
  });

  it('still caps by count when the bytes would allow more', () => {
    const capped = capTasks(many(5001), { maxTasks: MAX_SYNCED_TASKS, maxBytes: 100 * ONE_MB });

    expect(capped.tasks).toHaveLength(5000);
    expect(capped.dropped).toBe(1);
  });
});
