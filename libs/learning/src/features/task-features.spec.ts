import { D5, X11 } from './feature-sets.js';
import { isOnGrid } from './quantize.js';
import { taskFeatures } from './task-features.js';

const task = { priority: 4, due: null, addedAt: '2026-11-12T09:00:00.000Z' };

describe('taskFeatures', () => {
  it('reads the hour on the user’s own clock', () => {
    const now = new Date('2026-11-22T06:00:00.000Z');
    const berlin = taskFeatures(task, { now, timeZone: 'Europe/Berlin' }); // 07:00
    const tokyo = taskFeatures(task, { now, timeZone: 'Asia/Tokyo' }); // 15:00
    expect(berlin.hour_sin).toBeCloseTo(Math.sin((2 * Math.PI * 7) / 24), 12);
    expect(tokyo.hour_cos).toBeCloseTo(Math.cos((2 * Math.PI * 15) / 24), 12);
  });

  it('scales priority to [0, 1] and caps the age at 90 days', () => {
    const now = new Date('2026-11-22T09:00:00.000Z');
    const fresh = taskFeatures(task, { now, timeZone: 'UTC' });
    expect(fresh.priority).toBe(1);
    expect(fresh.task_age).toBeCloseTo(10 / 90, 12);
    const old = taskFeatures(
      { ...task, priority: 1, addedAt: '2025-01-01T00:00:00Z' },
      {
        now,
        timeZone: 'UTC',
      },
    );
    expect(old.priority).toBe(0);
    expect(old.task_age).toBe(1);
  });

  it('makes an all-day task overdue from the next local day, a timed one from its instant', () => {
    const justAfterMidnightInAuckland = new Date('2026-11-22T11:30:00.000Z'); // 00:30 on the 23rd
    const allDay = { ...task, due: '2026-11-22' };
    expect(
      taskFeatures(allDay, { now: justAfterMidnightInAuckland, timeZone: 'UTC' }).is_overdue,
    ).toBe(0);
    expect(
      taskFeatures(allDay, { now: justAfterMidnightInAuckland, timeZone: 'Pacific/Auckland' })
        .is_overdue,
    ).toBe(1);
    const timed = { ...task, due: '2026-11-22T11:00:00Z' };
    expect(
      taskFeatures(timed, { now: justAfterMidnightInAuckland, timeZone: 'UTC' }).is_overdue,
    ).toBe(1);
  });

  it('builds vectors on the feature grid within [-1, 1], named column by column', () => {
    const base = taskFeatures(task, { now: new Date('2026-11-22T17:13:00Z'), timeZone: 'UTC' });
    for (const set of [D5, X11]) {
      const vector = set.vector(base);
      expect(vector).toHaveLength(set.columns.length);
      expect(vector.every((value) => isOnGrid(value) && Math.abs(value) <= 1)).toBe(true);
    }
    expect(X11.columns).toContain('priority×hour_cos');
    expect(X11.vector(base)[10]).toBeCloseTo(base.priority * base.hour_cos, 7);
  });
});
