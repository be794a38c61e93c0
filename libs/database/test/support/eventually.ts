/** Polls `check` until it returns true, failing after `timeoutMs`: a deadline, never a fixed sleep. */
export async function waitUntil(
  check: () => Promise<boolean>,
  { timeoutMs = 5000, what = 'condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
