import { createLocalTodoist, type LocalTodoist, type Task } from '../src/index.js';
import { api, CLIENT_ID, CLIENT_SECRET, connect, REDIRECT_URI } from './oauth-helpers.js';

interface TaskPage {
  results: Task[];
  next_cursor: string | null;
}

function isoDay(offsetDays: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}

const anyString: unknown = expect.any(String);

describe('local Todoist API v1', () => {
  let todoist: LocalTodoist;

  beforeAll(async () => {
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
    });
  });

  afterAll(() => todoist.close());

  async function connectedUser(): Promise<{ userId: string; token: string }> {
    const userId = (await todoist.control.addUser()).id;
    return { userId, token: (await connect(todoist, userId)).access_token };
  }

  it('pages 450 open tasks as 200, 200 and 50 with next_cursor, every task once', async () => {
    const { userId, token } = await connectedUser();
    await todoist.control.addTasks(
      userId,
      Array.from({ length: 450 }, (_, i) => ({ content: `task ${i}`, priority: (i % 4) + 1 })),
    );
    const sizes: number[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await api(todoist, token, `/tasks?limit=200${query}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as TaskPage;
      sizes.push(page.results.length);
      for (const task of page.results) seen.add(task.id);
      cursor = page.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([200, 200, 50]);
    expect(seen.size).toBe(450);
  });

  it('returns tasks in API v1 shape, 50 by default, and refuses a limit over 200', async () => {
    const { userId, token } = await connectedUser();
    await todoist.control.addTasks(userId, [
      {
        content: 'Call the bank',
        priority: 4,
        labels: ['phone'],
        dueDate: `${isoDay(1)}T08:00:00Z`,
        dueTimezone: 'Europe/Berlin',
        dueString: 'tomorrow at 9',
      },
      ...Array.from({ length: 59 }, (_, i) => ({ content: `filler ${i}` })),
    ]);
    const page = (await (await api(todoist, token, '/tasks')).json()) as TaskPage;
    expect(page.results).toHaveLength(50);
    expect(page.next_cursor).not.toBeNull();
    expect(page.results[0]).toMatchObject({
      id: anyString,
      content: 'Call the bank',
      description: '',
      priority: 4,
      labels: ['phone'],
      checked: false,
      completed_at: null,
      project_id: anyString,
      added_at: anyString,
      updated_at: anyString,
      due: {
        date: isoDay(1),
        datetime: `${isoDay(1)}T08:00:00Z`,
        timezone: 'Europe/Berlin',
        is_recurring: false,
        string: 'tomorrow at 9',
      },
    });
    expect((await api(todoist, token, '/tasks?limit=201')).status).toBe(400);
  });

  it('closes a task once for one X-Request-Id, however often the request is retried', async () => {
    const { userId, token } = await connectedUser();
    const [task] = await todoist.control.addTasks(userId, [{ content: 'Send the invoice' }]);
    const close = () =>
      api(todoist, token, `/tasks/${task!.id}/close`, {
        method: 'POST',
        headers: { 'x-request-id': 'close-invoice-1' },
      });
    expect((await close()).status).toBe(204);
    expect((await close()).status).toBe(204);
    expect(await todoist.control.completionCount(task!.id)).toBe(1);
    expect((await todoist.control.openTasks(userId)).map((t) => t.id)).not.toContain(task!.id);
  });

  it('a retried close of a recurring task moves it forward once; a new X-Request-Id moves it again', async () => {
    const { userId, token } = await connectedUser();
    const [task] = await todoist.control.addTasks(userId, [
      { content: 'Water the plants', dueDate: isoDay(0), dueString: 'every day' },
    ]);
    const close = (requestId: string) =>
      api(todoist, token, `/tasks/${task!.id}/close`, {
        method: 'POST',
        headers: { 'x-request-id': requestId },
      });
    await close('water-1');
    await close('water-1');
    expect((await todoist.control.task(task!.id))?.due?.date).toBe(isoDay(1));
    await close('water-2');
    expect((await todoist.control.task(task!.id))?.due?.date).toBe(isoDay(2));
    expect(await todoist.control.completionCount(task!.id)).toBe(2);
  });

  it('closing a recurring task moves its due date forward by its rule and leaves it open', async () => {
    const { userId, token } = await connectedUser();
    const [daily, weekly] = await todoist.control.addTasks(userId, [
      { content: 'Take vitamins', dueDate: isoDay(0), dueString: 'every day' },
      {
        content: 'Weekly review',
        dueDate: `${isoDay(0)}T17:00:00`,
        dueString: 'every week at 17:00',
      },
    ]);
    for (const task of [daily!, weekly!])
      expect(
        (await api(todoist, token, `/tasks/${task.id}/close`, { method: 'POST' })).status,
      ).toBe(204);
    const open = await todoist.control.openTasks(userId);
    expect(open.find((t) => t.id === daily!.id)?.due).toMatchObject({
      date: isoDay(1),
      is_recurring: true,
      string: 'every day',
    });
    expect(open.find((t) => t.id === weekly!.id)?.due).toMatchObject({
      date: isoDay(7),
      datetime: `${isoDay(7)}T17:00:00`,
      is_recurring: true,
    });
  });

  it('lists completions by completion date, leaving out recurring ones', async () => {
    const { userId, token } = await connectedUser();
    const [once, recurring] = await todoist.control.addTasks(userId, [
      { content: 'File the taxes' },
      { content: 'Stretch', dueDate: isoDay(0), dueString: 'every day' },
    ]);
    for (const task of [once!, recurring!])
      await api(todoist, token, `/tasks/${task.id}/close`, { method: 'POST' });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    const response = await api(
      todoist,
      token,
      `/tasks/completed/by_completion_date?since=${since}&until=${until}`,
    );
    const body = (await response.json()) as { items: Task[]; next_cursor: string | null };
    expect(body.items.map((t) => t.id)).toEqual([once!.id]);
    expect(body.items[0]).toMatchObject({ checked: true, completed_at: anyString });
    expect(body.next_cursor).toBeNull();
    const missingRange = await api(todoist, token, '/tasks/completed/by_completion_date');
    expect(missingRange.status).toBe(400);
  });

  it('over the per-user budget answers 429 with Retry-After and error_extra.retry_after', async () => {
    const { userId, token } = await connectedUser();
    const other = await connectedUser();
    await todoist.control.setRateLimit(3, 60);
    try {
      for (let i = 0; i < 3; i += 1) expect((await api(todoist, token, '/user')).status).toBe(200);
      const limited = await api(todoist, token, '/user');
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await limited.json()).toMatchObject({
        error_tag: 'MAX_REQUESTS_LIMIT_REACHED',
        http_code: 429,
        error_extra: { retry_after: retryAfter },
      });
      // The budget is per user.
      expect((await api(todoist, other.token, '/user')).status).toBe(200);
      const log = await todoist.control.requests();
      expect(log.filter((entry) => entry.userId === userId).map((entry) => entry.status)).toEqual([
        200, 200, 200, 429,
      ]);
    } finally {
      await todoist.control.setRateLimit(1000, 900);
    }
  });

  it('answers the next requests with 5xx when told, then recovers', async () => {
    const { token } = await connectedUser();
    await todoist.control.failNext(2, { status: 502 });
    expect((await api(todoist, token, '/tasks')).status).toBe(502);
    expect((await api(todoist, token, '/tasks')).status).toBe(502);
    expect((await api(todoist, token, '/tasks')).status).toBe(200);
  });

  it('leaves a request hanging when told (a client timeout is the only way out)', async () => {
    const { token } = await connectedUser();
    await todoist.control.hangNext(1);
    await expect(
      api(todoist, token, '/tasks', { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect((await api(todoist, token, '/tasks')).status).toBe(200);
  });

  it('GET /user names the Todoist user behind the token', async () => {
    const { userId, token } = await connectedUser();
    const me = (await (await api(todoist, token, '/user')).json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      id: userId,
      email: anyString,
      full_name: anyString,
    });
  });
});
