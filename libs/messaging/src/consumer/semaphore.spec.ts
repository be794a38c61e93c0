import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('lets `size` holders in, queues the rest, and reports idle only when all released', async () => {
    const slots = new Semaphore(2);
    await slots.acquire();
    await slots.acquire();
    let third = false;
    const waiting = slots.acquire().then(() => (third = true));
    let idle = false;
    const idleWait = slots.whenIdle().then(() => (idle = true));

    slots.release();
    await waiting;
    expect(third).toBe(true);
    expect(slots.inUse).toBe(2);

    slots.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    slots.release();
    await idleWait;
    expect(idle).toBe(true);
    await expect(slots.whenIdle()).resolves.toBeUndefined();
  });
});
