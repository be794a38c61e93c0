import { BackgroundLoop } from './background-loop.js';

/** A promise the test opens when it chooses. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('BackgroundLoop', () => {
  it('runs one at a time: a call during a run answers that run', async () => {
    const { open, opened } = gate();
    let runs = 0;
    const loop = new BackgroundLoop({
      everyMs: 60_000,
      run: async () => {
        runs += 1;
        await opened;
        return runs;
      },
      onError: () => undefined,
    });
    const first = loop.runOnce();
    const second = loop.runOnce();
    open();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(await loop.runOnce()).toBe(2);
    await loop.stop();
  });

  it('reports a failed run and keeps ticking', async () => {
    const errors: unknown[] = [];
    const { open: thirdRun, opened: ranThrice } = gate();
    let runs = 0;
    const loop = new BackgroundLoop({
      everyMs: 5,
      run: () => {
        runs += 1;
        if (runs === 3) thirdRun();
        return runs === 1 ? Promise.reject(new Error('Postgres away')) : Promise.resolve(runs);
      },
      onError: (error) => errors.push(error),
    });
    loop.start({ now: true });
    await ranThrice;
    await loop.stop();
    expect(errors).toEqual([new Error('Postgres away')]);
  });

  it('on stop, aborts the run in flight, waits for it, and starts no other', async () => {
    const { open: started, opened: running } = gate();
    let seen: AbortSignal | undefined;
    let finished = false;
    let runs = 0;
    const loop = new BackgroundLoop({
      everyMs: 5,
      run: async (signal) => {
        runs += 1;
        seen = signal;
        started();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        finished = true;
      },
      onError: () => undefined,
    });
    loop.start({ now: true });
    await running;
    await loop.stop();
    expect(seen!.aborted).toBe(true);
    expect(finished).toBe(true);
    expect(await loop.runOnce()).toBeUndefined();
    expect(runs).toBe(1);
  });
});
