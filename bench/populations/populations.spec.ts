import { seededRandom, type BaseFeatures } from '@oo/learning';
import { heuristic, oracle } from './agents.js';
import {
  CONTINUOUS_CORRELATION,
  CONTINUOUS_MEAN,
  CONTINUOUS_SD,
  continuous,
} from './continuous.js';
import { drawDriftingUser, DRIFT_DECISIONS } from './drifting.js';
import { heuristicUsers } from './heuristic-users.js';
import { drawHourlyUser } from './hourly.js';
import { MIXED, mix, POPULATIONS } from './mix.js';
import { drawLife } from './runner.js';
import { SEGMENTS, segments } from './segments.js';
import { REACTION_RATE, sparse } from './sparse.js';
import { sampleReward, type SimUser } from './world.js';

function users(draw: (random: () => number) => SimUser, count: number, seed = 1): SimUser[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => draw(random));
}

/** A task at a local hour (UTC), for probing a user's utility. */
function task(hour: number, facts: Partial<BaseFeatures>): BaseFeatures {
  const angle = (2 * Math.PI * hour) / 24;
  return {
    hour_sin: Math.sin(angle),
    hour_cos: Math.cos(angle),
    is_overdue: 0,
    task_age: 0,
    priority: 0,
    ...facts,
  };
}

const expectations = (population: (typeof POPULATIONS)[number], seed: number): number[] =>
  [0, 1, 2].flatMap((index) =>
    drawLife(population, seed, 2, index, 20).life.flatMap((d) => d.options.map((o) => o.expected)),
  );

describe('simulated populations', () => {
  it.each(POPULATIONS.map((p) => [p.name, p] as const))(
    '%s is deterministic per seed and differs between seeds',
    (_, population) => {
      expect(expectations(population, 5)).toEqual(expectations(population, 5));
      expect(expectations(population, 5)).not.toEqual(expectations(population, 6));
    },
  );

  it('segments: users fall into the four segments with their shares', () => {
    const drawn = users(segments.drawUser, 4000);
    for (const segment of SEGMENTS) {
      const share = drawn.filter((u) => u.group === segment.name).length / drawn.length;
      expect(Math.abs(share - segment.share)).toBeLessThan(0.03);
    }
  });

  it('continuous: weights have the stated means, spread and correlations', () => {
    // Read the weights back from the utility of one-feature tasks.
    const weights = users(continuous.drawUser, 5000).map((u) => [
      u.utility(task(12, { priority: 1 }), 0),
      u.utility(task(12, { is_overdue: 1 }), 0),
      u.utility(task(12, { task_age: 1 }), 0),
    ]);
    const column = (i: number): number[] => weights.map((w) => w[i]!);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const corr = (a: number[], b: number[]): number => {
      const [ma, mb] = [mean(a), mean(b)];
      const cov = mean(a.map((x, k) => (x - ma) * (b[k]! - mb)));
      const sd = (xs: number[], m: number): number => Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
      return cov / (sd(a, ma) * sd(b, mb));
    };
    expect(mean(column(0))).toBeCloseTo(CONTINUOUS_MEAN.priority, 1);
    expect(mean(column(1))).toBeCloseTo(CONTINUOUS_MEAN.overdue, 1);
    expect(Math.sqrt(mean(column(2).map((x) => x ** 2)))).toBeCloseTo(CONTINUOUS_SD, 1);
    expect(corr(column(0), column(1))).toBeCloseTo(CONTINUOUS_CORRELATION.priorityOverdue, 1);
    expect(corr(column(0), column(2))).toBeCloseTo(CONTINUOUS_CORRELATION.priorityAge, 1);
    expect(Math.abs(corr(column(1), column(2)))).toBeLessThan(0.05);
  });

  it('hourly: the better of "urgent and new" and "normal and old" flips between 08:00 and 20:00', () => {
    const urgent = { priority: 1, is_overdue: 1 };
    const old = { task_age: 1 };
    const drawn = users(drawHourlyUser, 2000);
    const flips = drawn.filter((u) => {
      const morning = u.utility(task(8, urgent), 0) - u.utility(task(8, old), 0);
      const evening = u.utility(task(20, urgent), 0) - u.utility(task(20, old), 0);
      return Math.sign(morning) !== Math.sign(evening);
    });
    expect(flips.length / drawn.length).toBeGreaterThan(0.95);
    expect(new Set(drawn.map((u) => u.group))).toEqual(new Set(['early-bird', 'night-owl']));
  });

  it('drifting: weights move slowly per decision and far over a life', () => {
    const drawn = Array.from({ length: 2000 }, (_, k) => drawDriftingUser(seededRandom(k + 1)));
    const moved = drawn.map((u) =>
      Math.abs(u.weightsAt(DRIFT_DECISIONS).priority - u.weightsAt(0).priority),
    );
    const step = drawn.map((u) => Math.abs(u.weightsAt(1).priority - u.weightsAt(0).priority));
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(moved)).toBeGreaterThan(0.4);
    expect(Math.max(...step)).toBeLessThan(0.02);
    const u = drawn[0]!;
    expect(u.utility(task(12, { priority: 1 }), 100)).toBeCloseTo(u.weightsAt(100).priority, 12);
  });

  it('sparse: 80 % of tips get no reaction (reward 0), the rest are done or dismissed', () => {
    const random = seededRandom(3);
    const rewards = [0, 1, 2, 3, 4].flatMap((index) =>
      drawLife(sparse, 9, 2, index, 100).life.flatMap((d) =>
        d.options.map((o) => sampleReward(o, random)),
      ),
    );
    const silent = rewards.filter((r) => r === 0).length / rewards.length;
    expect(Math.abs(silent - (1 - REACTION_RATE))).toBeLessThan(0.02);
    expect(rewards.every((r) => r === 0 || r === 1 || r === -1)).toBe(true);
  });

  it('heuristic: the heuristic’s pick always has the oracle’s expected reward', () => {
    for (let index = 0; index < 20; index += 1) {
      for (const decision of drawLife(heuristicUsers, 4, 2, index, 50).life) {
        const best = decision.options[oracle.choose(decision)]!.expected;
        expect(decision.options[heuristic.choose(decision)]!.expected).toBeCloseTo(best, 12);
      }
    }
  });

  it('mix: draws users from every other population', () => {
    const groups = new Set(users(mix.drawUser, 300).map((u) => u.group));
    expect(groups).toEqual(new Set(MIXED.map((p) => p.name)));
  });
});
