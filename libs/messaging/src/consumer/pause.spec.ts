import { Pause } from './pause.js';

describe('Pause, the back-off wait of a consumer loop', () => {
  it('ends at once when interrupted, though a minute was asked for', async () => {
    const pause = new Pause();
    let ended = false;
    const waiting = pause.for(60_000).then(() => {
      ended = true;
    });
    await Promise.resolve();
    expect(ended).toBe(false);
    pause.interrupt();
    await waiting;
    expect(ended).toBe(true);
  });

  it('ends by itself after its time', async () => {
    await expect(new Pause().for(1)).resolves.toBeUndefined();
  });

  it('interrupting when nothing waits is harmless', () => {
    expect(() => new Pause().interrupt()).not.toThrow();
  });
});
