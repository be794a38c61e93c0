import { closedLoop, openLoop, summarize } from './load.js';

/** Keeps the event loop busy, as a stalled client or a long GC pause would. */
function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('openLoop', () => {
  it('sends rate × seconds requests and counts wrong answers and rejections as errors', async () => {
    const run = await openLoop({
      rate: 200,
      seconds: 0.25,
      send: (i) =>
        i % 10 === 0 ? Promise.reject(new Error('down')) : Promise.resolve(i % 5 !== 0),
    });
    expect(run.sent).toBe(50);
    // 0, 10, 20, 30, 40 reject; 5, 15, 25, 35, 45 answer wrongly.
    expect(run.errors).toBe(10);
    expect(run.samples).toHaveLength(40);
  });

  it('times each request from when it was due, so a stall before sending shows in its latency', async () => {
    const stallMs = 200;
    const run = await openLoop({
      rate: 100,
      seconds: 0.1,
      send: (i) => {
        // Request 0 holds the loop: requests 1–9 fall due meanwhile and go out late.
        if (i === 0) blockFor(stallMs);
        return Promise.resolve(true);
      },
    });
    expect(run.sent).toBe(10);
    const [first, ...late] = run.samples;
    // Request 9 was due 90 ms in and sent after the 200 ms stall: at least 110 ms late.
    expect(late.at(-1)).toBeGreaterThanOrEqual((stallMs - 90) * 1000);
    expect(first).toBeGreaterThanOrEqual(stallMs * 1000);
    expect(run.maxSendLagUs).toBeGreaterThanOrEqual((stallMs - 10) * 1000);
  });
});

describe('closedLoop', () => {
  it('sends every request once and counts errors', async () => {
    const seen = new Set<number>();
    const run = await closedLoop(100, 8, (i) => {
      seen.add(i);
      return i < 3 ? Promise.reject(new Error('no')) : Promise.resolve(true);
    });
    expect(seen.size).toBe(100);
    expect(run).toMatchObject({ requests: 100, errors: 3 });
  });
});

describe('summarize', () => {
  it('reads percentiles by nearest rank', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(summarize(samples)).toEqual({ count: 1000, p50: 500, p99: 990, p999: 999, max: 1000 });
  });

  it('answers NaN for no samples', () => {
    expect(summarize([]).p99).toBeNaN();
  });
});
