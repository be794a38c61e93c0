import { expectEventually, freePort, startTsProcess, type RunningProcess } from '@oo/testing';
import { connectLocalTodoist, DEMO_USER, type Task } from '../src/index.js';
import { api, CLIENT_ID, CLIENT_SECRET, connect, REDIRECT_URI } from './oauth-helpers.js';

describe('local Todoist as a process (npm start, tests of other services)', () => {
  let todoist: RunningProcess | undefined;

  afterAll(async () => {
    todoist?.kill('SIGKILL');
    await todoist?.exited;
  });

  it('starts with the demo seed, serves OAuth and API v1, is driven over /__control, and stops on SIGTERM', async () => {
    const port = await freePort();
    const running = startTsProcess('libs/local-todoist/src/main.ts', {
      PORT: String(port),
      TODOIST_CLIENT_ID: CLIENT_ID,
      TODOIST_CLIENT_SECRET: CLIENT_SECRET,
      TODOIST_REDIRECT_URI: REDIRECT_URI,
      TODOIST_SEED: 'demo',
    });
    todoist = running;
    const url = `http://127.0.0.1:${port}`;
    await expectEventually(
      () =>
        expect(running.output()).toContain(
          `local Todoist listening: url=${url} oauth=${url}/oauth api=${url}/api/v1`,
        ),
      { timeoutMs: 60_000 },
    );
    const endpoints = { oauthUrl: `${url}/oauth`, apiUrl: `${url}/api/v1` };
    const control = connectLocalTodoist(url);

    // The demo user is the one signed in: Allow connects them with no account anywhere.
    const { access_token: token } = await connect(endpoints, DEMO_USER.id!);
    const page = (await (await api(endpoints, token, '/tasks?limit=200')).json()) as {
      results: Task[];
    };
    const today = new Date().toISOString().slice(0, 10);
    expect(page.results.length).toBeGreaterThanOrEqual(12);
    expect(new Set(page.results.map((t) => t.priority))).toEqual(new Set([1, 2, 3, 4]));
    expect(page.results.some((t) => t.due && t.due.date < today)).toBe(true);
    expect(page.results.some((t) => t.due?.date === today)).toBe(true);
    expect(page.results.some((t) => t.due?.is_recurring)).toBe(true);
    expect(page.results.some((t) => t.due?.timezone)).toBe(true);
    expect(page.results.some((t) => t.due?.datetime && !t.due.timezone)).toBe(true);
    expect(page.results.some((t) => t.due === null)).toBe(true);
    expect(page.results.some((t) => t.labels.length > 0)).toBe(true);

    const task = page.results.find((t) => !t.due?.is_recurring)!;
    const closed = await api(endpoints, token, `/tasks/${task.id}/close`, {
      method: 'POST',
      headers: { 'x-request-id': 'demo-close' },
    });
    expect(closed.status).toBe(204);
    expect(await control.completionCount(task.id)).toBe(1);
    expect(await control.requests()).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/tasks/${task.id}/close`,
        userId: DEMO_USER.id,
        status: 204,
      }),
    );

    running.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });
});
