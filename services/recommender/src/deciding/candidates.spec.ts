import type { SyncedTask } from '@oo/contracts';
import { SCORER_MAX_CANDIDATES, selectCandidates } from './candidates.js';

const task = (taskId: string, fields: Partial<SyncedTask> = {}): SyncedTask => ({
  taskId,
  title: `Task ${taskId}`,
  priority: 1,
  due: null,
  addedAt: '2026-11-01T09:00:00Z',
  isRecurring: false,
  ...fields,
});

describe('selectCandidates', () => {
  it('drops held tasks', () => {
    const chosen = selectCandidates([task('a'), task('b'), task('c')], new Set(['b']));
    expect(chosen.map(({ taskId }) => taskId)).toEqual(['a', 'c']);
  });

  it('takes the scorer’s maximum, the same tasks whatever order they came in', () => {
    expect(SCORER_MAX_CANDIDATES).toBe(200);
    const tasks = Array.from({ length: 260 }, (_, k) =>
      task(`t${String(k).padStart(3, '0')}`, {
        priority: (k % 4) + 1,
        due: k % 3 ? `2026-12-${String((k % 28) + 1).padStart(2, '0')}` : null,
      }),
    );
    const chosen = selectCandidates(tasks, new Set());
    expect(chosen).toHaveLength(200);
    const reversed = selectCandidates([...tasks].reverse(), new Set());
    expect(reversed.map(({ taskId }) => taskId)).toEqual(chosen.map(({ taskId }) => taskId));
    // The 65 urgent ones all make it; the 60 left out are the lowest priority.
    expect(chosen.filter(({ priority }) => priority === 4)).toHaveLength(65);
    const left = tasks.filter((t) => !chosen.includes(t));
    expect(left.every(({ priority }) => priority === 1)).toBe(true);
  });
});
