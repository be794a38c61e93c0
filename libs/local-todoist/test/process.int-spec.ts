import { startLocalTodoistProcess, type LocalTodoistProcess } from '@oo/testing';
import { DEMO_USER, type Task } from '../src/index.js';
import { api, CLIENT_ID, CLIENT_SECRET, connect, REDIRECT_URI } from './oauth-helpers.js';

describe('local Todoist as a process (npm start, tests of other services)', () => {
  let todoist: LocalTodoistProcess | undefined;

  afterAll(async () => {
    todoist?.process.kill('SIGKILL');
    await todoist?.process.exited;
  });

  it('starts with the demo seed, serves OAuth and API v1, is driven over /__control, and stops on SIGTERM', async () => {
    todoist = await startLocalTodoistProcess({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      seed: 'demo',
    });
    expect(todoist.process.output()).toContain(
      `local Todoist listening: url=${todoist.url} oauth=${todoist.oauthUrl} api=${todoist.apiUrl}`,
    );

    // The demo user is the one signed in: Allow connects them with no account anywhere.
    const { access_token: token } = await connect(todoist, DEMO_USER.id!);
    const page = (await (await api(todoist, token, '/tasks?limit=200')).json()) as {
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
    const closed = await api(todoist, token, `/tasks/${task.id}/close`, {
      method: 'POST',
      headers: { 'x-request-id': 'demo-close' },
    });
    expect(closed.status).toBe(204);
    expect(await todoist.control.completionCount(task.id)).toBe(1);
    expect(await todoist.control.requests()).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/tasks/${task.id}/close`,
        userId: DEMO_USER.id,
        status: 204,
      }),
    );
    await expect(todoist.control.completeTask('no-such-task')).rejects.toThrow(/no task/);

    todoist.process.kill('SIGTERM');
    expect(await todoist.process.exited).toBe(0);
  });
});
