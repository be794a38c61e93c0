import { D5, seededRandom, taskFeatures } from '@oo/learning';
import { explain, humaniseAge, termContributions } from './explanation.js';

const now = new Date('2026-12-02T09:00:00Z');
const columns = D5.columns;

/** A d5 vector for a task, as the recommender builds it. */
const d5 = (task: { priority: number; due: string | null; addedAt: string }): number[] =>
  D5.vector(taskFeatures(task, { now, timeZone: 'UTC' }));

const tasks = [
  { priority: 4, due: '2026-11-30', addedAt: '2026-11-11T09:00:00Z' }, // urgent, overdue, 3 weeks
  { priority: 1, due: null, addedAt: '2026-12-01T09:00:00Z' },
  { priority: 2, due: '2026-12-24', addedAt: '2026-12-02T08:00:00Z' },
];
const candidates = tasks.map(d5);
// θ over hour_sin, hour_cos, is_overdue, task_age, priority.
const likesUrgentOverdueOld = [0.3, 0.3, 0.5, 0.4, 0.9];

describe('explain', () => {
  it('names the terms that pushed the chosen task up, strongest first, in words', () => {
    const why = explain({
      columns,
      theta: likesUrgentOverdueOld,
      candidates,
      chosen: 0,
      task: tasks[0]!,
      explored: false,
      random: false,
      now,
    });
    expect(why).toEqual({
      kind: 'model',
      reasons: [
        { term: 'priority', text: 'urgent' },
        { term: 'is_overdue', text: 'overdue' },
        { term: 'task_age', text: 'waiting for three weeks' },
      ],
      summary: 'Urgent, overdue and waiting for three weeks.',
    });
  });

  it('leaves out terms that pulled the task down, and the hour (the same for every task)', () => {
    const why = explain({
      columns,
      theta: [5, 5, 0.5, -0.4, 0.9],
      candidates,
      chosen: 0,
      task: tasks[0]!,
      explored: false,
      random: false,
      now,
    });
    expect(why.reasons.map(({ term }) => term)).toEqual(['priority', 'is_overdue']);
  });

  it('never gives a term that held the task back, whatever θ and the candidates', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 200; round += 1) {
      const drawn = Array.from({ length: 2 + Math.floor(random() * 6) }, () => ({
        priority: 1 + Math.floor(random() * 4),
        due: random() < 0.5 ? '2026-11-20' : null,
        addedAt: new Date(now.getTime() - random() * 90 * 86_400_000).toISOString(),
      }));
      const vectors = drawn.map(d5);
      const theta = columns.map(() => random() * 2 - 1);
      const chosen = Math.floor(random() * drawn.length);
      const pushes = new Map<string, number>(termContributions(columns, theta, vectors, chosen));
      const why = explain({
        columns,
        theta,
        candidates: vectors,
        chosen,
        task: drawn[chosen]!,
        explored: false,
        random: false,
        now,
      });
      for (const { term } of why.reasons) expect(pushes.get(term)).toBeGreaterThan(0);
      const up = [...pushes].filter(([, push]) => push > 0).length;
      expect(why.reasons).toHaveLength(Math.min(3, up));
    }
  });

  it('names no term the candidates all share, however much the model weighs it', () => {
    // Ten tasks alike on every term (only the due date, not a term, differs): θ_j·x_j is large
    // for each, but relative to the candidates nothing pushed the chosen one up.
    const alike = Array.from({ length: 10 }, (_, k) => ({
      priority: 2,
      due: k % 2 ? `2026-12-${10 + k}` : null,
      addedAt: '2026-11-11T09:00:00Z',
    }));
    const why = explain({
      columns,
      theta: [0.3, 0.3, 0.5, 0.7, -0.9],
      candidates: alike.map(d5),
      chosen: 1,
      task: alike[1]!,
      explored: false,
      random: false,
      now,
    });
    expect(why).toMatchObject({ kind: 'learning', reasons: [] });
  });

  it('says how a task lower on a term was pushed up when the model prefers less of it', () => {
    // This model dislikes old and overdue tasks: the fresh, not overdue one wins on both.
    const why = explain({
      columns,
      theta: [0, 0, -0.8, -0.6, 0],
      candidates,
      chosen: 2,
      task: tasks[2]!,
      explored: false,
      random: false,
      now,
    });
    expect(why.reasons).toEqual([
      { term: 'is_overdue', text: 'not overdue yet' },
      { term: 'task_age', text: 'fresh: added less than a day ago' },
    ]);
  });

  it('says the model is still learning when no term pushed the task up (cold model)', () => {
    const why = explain({
      columns,
      theta: [0, 0, 0, 0, 0],
      candidates,
      chosen: 1,
      task: tasks[1]!,
      explored: false,
      random: false,
      now,
    });
    expect(why).toEqual({
      kind: 'learning',
      reasons: [],
      summary: 'New to you: oO is still learning what you pick.',
    });
  });

  it('says an exploration pick is one, from the scorer or from the random fallback', () => {
    const explored = explain({
      columns,
      theta: likesUrgentOverdueOld,
      candidates,
      chosen: 1,
      task: tasks[1]!,
      explored: true,
      random: false,
      now,
    });
    expect(explored.kind).toBe('exploration');
    expect(explored.summary).toMatch(/other than its best guess/);
    const random = explain({
      columns,
      theta: undefined,
      candidates,
      chosen: 2,
      task: tasks[2]!,
      explored: true,
      random: true,
      now,
    });
    expect(random).toEqual({
      kind: 'exploration',
      reasons: [],
      summary: 'A pick at random: oO could not weigh your tasks just now.',
    });
  });
});

describe('humaniseAge', () => {
  it.each([
    ['2026-12-02T01:00:00Z', 'less than a day'],
    ['2026-12-01T09:00:00Z', 'a day'],
    ['2026-11-29T09:00:00Z', 'three days'],
    ['2026-11-25T09:00:00Z', 'a week'],
    ['2026-11-11T09:00:00Z', 'three weeks'],
    ['2026-09-01T09:00:00Z', 'three months'],
    ['2025-06-01T09:00:00Z', 'over a year'],
  ])('%s → %s', (addedAt, words) => {
    expect(humaniseAge(addedAt, now)).toBe(words);
  });
});
