import { isExploration } from './policy-decider.js';

const score = (id: string, ucb: number) => ({ id, mean: ucb, bonus: 0, ucb });

describe('isExploration', () => {
  const scores = [score('a', 0.2), score('b', 0.9), score('c', 0.5)];

  it('is false for the live policy’s UCB argmax, however the scorer drew it', () => {
    // The scorer's ε draw may land on the argmax: the model's own preference, not exploration.
    expect(isExploration(scores, 'b')).toBe(false);
  });

  it('is true for any other candidate', () => {
    expect(isExploration(scores, 'a')).toBe(true);
    expect(isExploration(scores, 'c')).toBe(true);
  });

  it('breaks equal UCBs towards the smallest id, as the scorer does', () => {
    const tied = [score('b', 0.7), score('a', 0.7), score('c', 0.1)];
    expect(isExploration(tied, 'a')).toBe(false);
    expect(isExploration(tied, 'b')).toBe(true);
  });
});
