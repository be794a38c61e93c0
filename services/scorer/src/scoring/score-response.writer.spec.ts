import type { ScoreResponse } from '@oo/contracts';
import { D5, ModelState, X11, type BaseFeatures } from '@oo/learning';
import { Registry } from 'prom-client';
import { ScorerMetrics } from '../metrics/scorer.metrics.js';
import { writeScoreResponse } from './score-response.writer.js';
import { ScoringService } from './scoring.service.js';

const score = (id: string, mean: number, bonus: number) => ({
  id,
  mean,
  bonus,
  ucb: mean + bonus,
});

const base: ScoreResponse = {
  chosen: 'task-2',
  propensity: 0.951,
  explored: false,
  epsilon: 0.05,
  policy: 'linucb-d5',
  scores: [score('task-1', -0.026524446842105122, 0.16779291501233715), score('task-2', 0.5, 0.25)],
  n: 200,
  theta: [0.1, -0.2, 1e-21, 123456789012345680000, -0],
};

describe('writeScoreResponse', () => {
  it.each<[string, ScoreResponse]>([
    ['a decision', base],
    [
      'with shadows',
      {
        ...base,
        shadows: [
          { policy: 'linucb-x11', scores: [score('task-2', 1, 2), score('task-1', 3, 4)], n: 8 },
          { policy: 'linucb-x12', scores: [], n: 0 },
        ],
      },
    ],
    [
      'ids JSON must escape, and ones it must not',
      {
        ...base,
        chosen: 'say "hi"\\\n',
        scores: [
          score('say "hi"\\\n', 0, 0),
          score('Zahnarzt – Donnerstag’s 9:00 🦷', 1, 1),
          score('\u0000\u001f\u007f', 2, 2),
          score('lone \ud800 surrogate', 3, 3),
          score('', 4, 4),
        ],
      },
    ],
    [
      'numbers JSON has no form for, and extremes',
      {
        ...base,
        propensity: Number.MIN_VALUE,
        scores: [
          score('a', Number.NaN, 1),
          { id: 'b', mean: Infinity, bonus: -Infinity, ucb: Number.MAX_VALUE },
          score('c', -0, 5e-324),
        ],
        theta: [Number.NaN, 1e21, 1e-7, 0.1 + 0.2],
      },
    ],
    ['optional fields absent', { chosen: 'a', propensity: 1, policy: 'p', scores: [], n: 0 }],
    [
      'fields in another order, one undefined, one added',
      {
        n: 3,
        scores: [score('a', 1, 1)],
        policy: 'p',
        theta: undefined,
        chosen: 'a',
        propensity: 1,
        ...{ later: { nested: [true, null, 'x'] } },
      },
    ],
  ])('writes %s exactly as JSON.stringify does', (_, response) => {
    expect(writeScoreResponse(response)).toBe(JSON.stringify(response));
  });

  it('writes what ScoringService answers, with and without shadows, exactly as JSON.stringify does', async () => {
    const learned = (dimension: number): ModelState => {
      const state = ModelState.empty(dimension);
      for (let i = 0; i < 40; i += 1) {
        state.apply(
          i % 3 ? 1 : -1,
          Array.from({ length: dimension }, (_, j) => ((i + j) % 5) / 4),
        );
      }
      return state;
    };
    const states = new Map([
      ['linucb-d5', learned(5)],
      ['linucb-x11', learned(11)],
    ]);
    const models = {
      loadMany: (_userId: string, policies: string[]) =>
        Promise.resolve(policies.map((policy) => states.get(policy))),
    };
    const scoring = new ScoringService(
      { SCORER_ALPHA: 1, SCORER_EPSILON: 0.05 } as never,
      models as never,
      { current: () => undefined } as never,
      new ScorerMetrics(new Registry()),
    );
    const moment = (k: number): BaseFeatures => ({
      hour_sin: Math.sin(2.5),
      hour_cos: Math.cos(2.5),
      is_overdue: k % 7 === 0 ? 1 : 0,
      task_age: ((k * 37) % 91) / 90,
      priority: (k % 4) / 3,
    });
    const ids = Array.from({ length: 50 }, (_, k) => `task-${k}`);
    const live = ids.map((id, k) => ({ id, features: D5.vector(moment(k)) }));
    const shadow = ids.map((id, k) => ({ id, features: X11.vector(moment(k)) }));
    for (const request of [
      { userId: 'u', candidates: live, seed: 1 },
      { userId: 'u', candidates: live, shadows: [{ policy: 'linucb-x11', candidates: shadow }] },
    ]) {
      const response = await scoring.score(request);
      expect(writeScoreResponse(response)).toBe(JSON.stringify(response));
    }
  });
});
