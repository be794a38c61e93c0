import { OpenTaskChecks } from './open-task-checks.js';

describe('OpenTaskChecks', () => {
  let now = 0;
  const checks = (capacity = 10) => new OpenTaskChecks(30_000, capacity, () => now);

  beforeEach(() => {
    now = 1_000;
  });

  it('takes a tip seen open as open for the recheck interval, then asks again', () => {
    const tips = checks();
    expect(tips.isFresh('a')).toBe(false);
    tips.seenOpen('a');
    now += 29_999;
    expect(tips.isFresh('a')).toBe(true);
    now += 1;
    expect(tips.isFresh('a')).toBe(false);
    // Forgotten once stale: it stays stale until seen open again.
    now -= 10;
    expect(tips.isFresh('a')).toBe(false);
  });

  it('counts the interval from the last sight', () => {
    const tips = checks();
    tips.seenOpen('a');
    now += 20_000;
    tips.seenOpen('a');
    now += 20_000;
    expect(tips.isFresh('a')).toBe(true);
  });

  it('keeps at most its capacity, forgetting the tip seen longest ago', () => {
    const tips = checks(2);
    tips.seenOpen('a');
    tips.seenOpen('b');
    tips.seenOpen('a'); // now b is the oldest sight
    tips.seenOpen('c');
    expect(tips.isFresh('a')).toBe(true);
    expect(tips.isFresh('b')).toBe(false);
    expect(tips.isFresh('c')).toBe(true);
  });
});
