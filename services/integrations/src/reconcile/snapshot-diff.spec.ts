import type { SyncedTask } from '@oo/contracts';
import { diffSnapshots, dueMovedForward } from './snapshot-diff.js';

function task(taskId: string, overrides: Partial<SyncedTask> = {}): SyncedTask {
  return {
    taskId,
    title: `Task ${taskId}`,
    priority: 1,
    due: null,
    dueTimezone: null,
    addedAt: '2026-11-30T08:00:00.000Z',
    isRecurring: false,
    ...overrides,
  };
}

const daily = (taskId: string, due: string) =>
  task(taskId, { due, isRecurring: true, title: 'Water the plants' });

describe('diffSnapshots', () => {
  it('finds nothing when the set is the same', () => {
    const tasks = [task('a'), daily('b', '2026-12-02')];
    expect(diffSnapshots(tasks, tasks)).toEqual({ recurringCompletions: [], vanished: [] });
  });

  it('names a vanished task as a candidate, keyed as a one-time completion', () => {
    const diff = diffSnapshots([task('a'), task('b')], [task('b')]);
    expect(diff).toEqual({
      recurringCompletions: [],
      vanished: [{ taskId: 'a', completionKey: 'closed' }],
    });
  });

  it('counts a recurring task whose due moved forward as completed, keyed by the due it had', () => {
    const diff = diffSnapshots([daily('r', '2026-12-02')], [daily('r', '2026-12-03')]);
    expect(diff).toEqual({
      recurringCompletions: [{ taskId: 'r', completionKey: 'due:2026-12-02' }],
      vanished: [],
    });
  });

  it('does not count a recurring task moved back, or a one-time task moved forward', () => {
    const diff = diffSnapshots(
      [daily('r', '2026-12-05'), task('t', { due: '2026-12-02' })],
      [daily('r', '2026-12-03'), task('t', { due: '2026-12-09' })],
    );
    expect(diff).toEqual({ recurringCompletions: [], vanished: [] });
  });

  it('keys a vanished recurring task by the due it had (its last completion, if Todoist lists it)', () => {
    expect(diffSnapshots([daily('r', '2026-12-02T09:00:00')], []).vanished).toEqual([
      { taskId: 'r', completionKey: 'due:2026-12-02T09:00:00' },
    ]);
  });

  it('ignores tasks that are new in the current set', () => {
    expect(diffSnapshots([], [task('n'), daily('m', '2026-12-02')])).toEqual({
      recurringCompletions: [],
      vanished: [],
    });
  });
});

describe('dueMovedForward', () => {
  it.each([
    ['2026-12-02', '2026-12-03', true],
    ['2026-12-02T09:00:00', '2026-12-03T09:00:00', true],
    ['2026-12-02T09:00:00', '2026-12-02T12:00:00', true],
    ['2026-12-02T09:00:00Z', '2026-12-09T09:00:00Z', true],
    ['2026-12-02', '2026-12-02', false],
    ['2026-12-03', '2026-12-02', false],
    ['2026-12-02', null, false],
    [null, '2026-12-02', false],
    ['not a date', '2026-12-02', false],
  ])('%s → %s: %s', (before, after, moved) => {
    expect(dueMovedForward(before, after)).toBe(moved);
  });
});
