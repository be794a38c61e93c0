import { ModelState } from '@oo/learning';
import { ModelCache } from './model-cache.js';

const model = (n: number): ModelState => {
  const state = ModelState.empty(2);
  for (let i = 0; i < n; i += 1) state.apply(1, [0.5, 0.25]);
  return state;
};

describe('ModelCache', () => {
  let clock: number;
  const cache = (maxEntries = 10, maxAgeMs = 1_000): ModelCache =>
    new ModelCache({ maxEntries, maxAgeMs, now: () => clock });

  beforeEach(() => {
    clock = 0;
  });

  it('keeps what a read found, a missing model too, until the key is invalidated', () => {
    const models = cache();
    const ticket = models.beginRead(['a', 'b']);
    models.finishRead(ticket, ['a', 'b'], [model(3), undefined]);
    expect(models.get('a')?.state?.n).toBe(3);
    expect(models.get('b')).toBeDefined();
    expect(models.get('b')?.state).toBeUndefined();
    models.invalidate('a');
    expect(models.get('a')).toBeUndefined();
    expect(models.get('b')).toBeDefined();
  });

  it('does not keep a read that an invalidation of its key overtook', () => {
    const models = cache();
    const ticket = models.beginRead(['a', 'b']);
    // The write after the read was processed, reported before the read's reply got here.
    models.invalidate('a');
    models.finishRead(ticket, ['a', 'b'], [model(1), model(2)]);
    expect(models.get('a')).toBeUndefined();
    expect(models.get('b')?.state?.n).toBe(2);
  });

  it('keeps only the newest of two reads of one key in flight', () => {
    const models = cache();
    const older = models.beginRead(['a']);
    const newer = models.beginRead(['a']);
    models.finishRead(newer, ['a'], [model(2)]);
    models.finishRead(older, ['a'], [model(1)]);
    expect(models.get('a')?.state?.n).toBe(2);
  });

  it('forgets reads in flight when cleared (invalidations may have been lost)', () => {
    const models = cache();
    const ticket = models.beginRead(['a']);
    models.clear();
    models.finishRead(ticket, ['a'], [model(1)]);
    expect(models.get('a')).toBeUndefined();
    expect(models.size).toBe(0);
  });

  it('withdraws the tickets of a read that failed', () => {
    const models = cache();
    const failed = models.beginRead(['a']);
    models.abandonRead(failed, ['a']);
    models.finishRead(failed, ['a'], [model(1)]);
    expect(models.get('a')).toBeUndefined();
  });

  it('reads a model again once it is older than the maximum age', () => {
    const models = cache(10, 1_000);
    models.finishRead(models.beginRead(['a']), ['a'], [model(1)]);
    clock = 1_000;
    expect(models.get('a')).toBeDefined();
    clock = 1_001;
    expect(models.get('a')).toBeUndefined();
  });

  it('lets the oldest read go first when full', () => {
    const models = cache(2);
    for (const key of ['a', 'b', 'c']) {
      models.finishRead(models.beginRead([key]), [key], [model(1)]);
    }
    expect(models.size).toBe(2);
    expect(models.get('a')).toBeUndefined();
    expect(models.get('b')).toBeDefined();
    expect(models.get('c')).toBeDefined();
  });
});
