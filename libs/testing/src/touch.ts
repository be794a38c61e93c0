import type { CDPSession } from 'playwright-core';

/**
 * A finger drawn across the screen, as Chromium receives it from a touch screen (the page sees
 * touch pointer events): down at (x, y), ten moves to (x + dx, y), up.
 */
export async function swipe(cdp: CDPSession, x: number, y: number, dx: number): Promise<void> {
  const point = (at: number) => [{ x: at, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(x) });
  for (let step = 1; step <= 10; step += 1) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: point(x + (dx * step) / 10),
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}
