import type { SyncedTask } from '@oo/contracts';
import { ParsedEntries } from './parsed-entries.js';
import type { CachedTasks } from './task-cache.js';

function task(id: string): SyncedTask {
  return {
    taskId: id,
    title: `Task ${id}`,
    priority: 1,
    due: null,
    dueTimezone: null,
    addedAt: '2026-11-01T09:00:00.000000Z',
    isRecurring: false,
  };
}

const entry = (ids: string[], refreshAfter = 1): CachedTasks => ({
  tasks: ids.map(task),
  syncedAt: '2026-12-01T10:00:00.000Z',
  status: 'ok',
  refreshAfter,
});

describe('ParsedEntries', () => {
  it('answers the same frozen entry while the cached JSON is the same, and a new one when it changed', () => {
    const parsed = new ParsedEntries();
    const raw = JSON.stringify(entry(['a', 'b']));

    const first = parsed.entry('u1', raw, []);
    expect(first).toEqual(entry(['a', 'b']));
    // The same text read again (a new string, as Redis returns it): not parsed again.
    expect(parsed.entry('u1', `${raw} `.trim(), [])).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.tasks)).toBe(true);
    expect(Object.isFrozen(first.tasks[0])).toBe(true);

    const marked = parsed.entry('u1', JSON.stringify(entry(['a', 'b'], 0)), []);
    expect(marked).not.toBe(first);
    expect(marked.refreshAfter).toBe(0);
  });

  it('leaves out the hidden tasks, and follows the hidden list as it changes', () => {
    const parsed = new ParsedEntries();
    const raw = JSON.stringify(entry(['a', 'b', 'c']));

    const withoutB = parsed.entry('u1', raw, ['b']);
    expect(withoutB.tasks.map((t) => t.taskId)).toEqual(['a', 'c']);
    expect(parsed.entry('u1', raw, ['b'])).toBe(withoutB);
    expect(parsed.entry('u1', raw, ['b', 'c']).tasks.map((t) => t.taskId)).toEqual(['a']);
    expect(parsed.entry('u1', raw, []).tasks.map((t) => t.taskId)).toEqual(['a', 'b', 'c']);
  });

  it('keeps users apart, and keeps no more JSON than its budget, least recently read out first', () => {
    const raws = ['u1', 'u2', 'u3'].map((id) => JSON.stringify(entry([`${id}-task`])));
    const parsed = new ParsedEntries(raws[0]!.length * 2);

    const u1 = parsed.entry('u1', raws[0]!, []);
    const u2 = parsed.entry('u2', raws[1]!, []);
    expect(u2.tasks[0]!.taskId).toBe('u2-task');
    expect(parsed.entry('u1', raws[0]!, [])).toBe(u1); // u1 read last: u2 is the oldest now
    parsed.entry('u3', raws[2]!, []);

    expect(parsed.entry('u1', raws[0]!, [])).toBe(u1);
    expect(parsed.entry('u2', raws[1]!, [])).not.toBe(u2);
  });
});

describe('ParsedEntries, idle users', () => {
  it('drops a user not read for ten minutes, keeping those read since', () => {
    let now = 0;
    const parsed = new ParsedEntries(undefined, 10 * 60_000, () => now);
    const idleRaw = JSON.stringify(entry(['a']));
    const busyRaw = JSON.stringify(entry(['b']));
    const idle = parsed.entry('idle', idleRaw, []);
    const busy = parsed.entry('busy', busyRaw, []);

    now = 9 * 60_000;
    expect(parsed.entry('busy', busyRaw, [])).toBe(busy);
    now = 10 * 60_000;
    parsed.dropIdle();
    // The idle user's titles are no longer held: the same JSON is parsed anew.
    expect(parsed.entry('idle', idleRaw, [])).not.toBe(idle);
    expect(parsed.entry('busy', busyRaw, [])).toBe(busy);
  });

  it('drops idle users on a read of anyone, without a timer', () => {
    let now = 0;
    const parsed = new ParsedEntries(undefined, 1_000, () => now);
    const raw = JSON.stringify(entry(['a']));
    const first = parsed.entry('u1', raw, []);
    now = 1_000;
    parsed.entry('u2', JSON.stringify(entry(['b'])), []);
    expect(parsed.entry('u1', raw, [])).not.toBe(first);
  });
});
