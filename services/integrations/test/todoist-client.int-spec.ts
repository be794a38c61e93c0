import { createRedisClient } from '@oo/platform';
import { expectEventually, testInfrastructure, uniqueNamespace } from '@oo/testing';
import type { Redis } from 'ioredis';
import { TodoistRateBudget } from '../src/todoist/rate-budget.js';
import { TodoistApiClient, type TodoistCaller } from '../src/todoist/todoist-api.client.js';
import type { TodoistTask } from '../src/todoist/todoist-api.types.js';
import {
  TodoistError,
  TodoistRateLimited,
  TodoistRequestRejected,
  TodoistUnauthorized,
  TodoistUnavailable,
} from '../src/todoist/todoist-errors.js';
import { startTinyTodoist, type TinyTodoist } from './support/tiny-todoist.js';

const TOKEN = 'tok-5ecret-4b1d-never-print-me';

function task(n: number): TodoistTask {
  return {
    id: `t${String(n).padStart(4, '0')}`,
    content: `Task ${n}`,
    priority: (n % 4) + 1,
    due: null,
    added_at: '2026-11-01T09:00:00.000000Z',
  };
}

/** `GET /tasks` over `tasks`, `limit` a page, cursors naming the next offset. */
function pagedTasks(tasks: TodoistTask[]) {
  return (query: URLSearchParams) => {
    const limit = Number(query.get('limit') ?? 50);
    const from = Number(query.get('cursor') ?? 0);
    const next = from + limit < tasks.length ? String(from + limit) : null;
    return { results: tasks.slice(from, from + limit), next_cursor: next };
  };
}

describe('the Todoist API client against a tiny HTTP Todoist and real Redis', () => {
  let todoist: TinyTodoist;
  let redis: Redis;
  let otherInstanceRedis: Redis;
  let namespace: string;
  const clients: TodoistApiClient[] = [];

  function client(
    options: { limit?: number; timeoutMs?: number; url?: string; redis?: Redis } = {},
  ): TodoistApiClient {
    const timeoutMs = options.timeoutMs ?? 5000;
    const budget = new TodoistRateBudget(options.redis ?? redis, {
      limit: options.limit ?? 1000,
      windowSeconds: 900,
      latencyAllowanceMs: timeoutMs,
    });
    const made = new TodoistApiClient({
      baseUrl: options.url ?? todoist.url,
      budget,
      timeoutMs,
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
    clients.push(made);
    return made;
  }

  const caller = (label: string): TodoistCaller => ({
    userId: `${label}-${Math.random().toString(36).slice(2, 8)}`,
    token: TOKEN,
  });

  beforeAll(async () => {
    const { redisUrl } = await testInfrastructure();
    namespace = uniqueNamespace('todoist-client');
    redis = createRedisClient(redisUrl, namespace, 'test');
    otherInstanceRedis = createRedisClient(redisUrl, namespace, 'test-other-instance');
    todoist = await startTinyTodoist();
  });

  beforeEach(() => {
    todoist.requests.length = 0;
  });

  afterAll(async () => {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys.map((key) => key.slice(namespace.length + 1)));
    await Promise.all([redis.quit(), otherInstanceRedis.quit()]);
    await todoist.close();
  });

  it('reads 450 open tasks over 3 pages of 200, complete and in order', async () => {
    const all = Array.from({ length: 450 }, (_, i) => task(i + 1));
    const page = pagedTasks(all);
    todoist.respond(({ path, query }) =>
      path === '/tasks' ? { status: 200, body: page(query) } : { status: 404 },
    );

    const tasks = await client().listOpenTasks(caller('pages'));

    expect(tasks.map((t) => t.id)).toEqual(all.map((t) => t.id));
    expect(todoist.requests.map((r) => [r.query.get('limit'), r.query.get('cursor')])).toEqual([
      ['200', null],
      ['200', '200'],
      ['200', '400'],
    ]);
    expect(todoist.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('honours a 429: no request reaches Todoist before its retry_after has passed', async () => {
    const user = caller('blocked');
    const retryAfterSeconds = 2;
    let limited = false;
    todoist.respond(() => {
      if (!limited) {
        limited = true;
        return {
          status: 429,
          headers: { 'retry-after': String(retryAfterSeconds) },
          body: { error: 'Too many requests', error_extra: { retry_after: retryAfterSeconds } },
        };
      }
      return { status: 200, body: { id: '2671355' } };
    });
    const api = client();

    const first = await api.currentUser(user).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(TodoistRateLimited);
    expect(first).toMatchObject({ origin: 'todoist', retryAfterSeconds });

    // The service keeps asking (as a busy rpc.integrations.tasks would): each is refused here,
    // without a request, until the wait is over — and then one gets through.
    const refusals: TodoistRateLimited[] = [];
    const user2 = await expectEventually(
      async () => {
        try {
          return await api.currentUser(user);
        } catch (error) {
          if (error instanceof TodoistRateLimited) refusals.push(error);
          throw error;
        }
      },
      { timeoutMs: 15_000, intervalMs: 20 },
    );
    expect(user2).toEqual({ id: '2671355' });
    // How many were refused depends on the machine's speed; that none reached Todoist does not.
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.origin === 'todoist')).toBe(true);

    const [limitedAt, nextAt, ...rest] = todoist.requests.map((r) => r.receivedAt);
    expect(rest).toEqual([]);
    expect(nextAt! - limitedAt!).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
  });

  it('sends at most the budget of a burst of 1,200 calls, across two instances', async () => {
    const user = caller('burst');
    todoist.respond(() => ({ status: 200, body: { id: '42' } }));
    // Patient clients: on a loaded machine a 5 s timeout would retry (a second slot of the
    // budget for one call), and fewer than the budget's calls would reach Todoist.
    const instances = [
      client({ timeoutMs: 30_000 }),
      client({ timeoutMs: 30_000, redis: otherInstanceRedis }),
    ];

    const outcomes = await Promise.allSettled(
      Array.from({ length: 1200 }, (_, i) => instances[i % 2]!.currentUser(user)),
    );

    expect(todoist.requests).toHaveLength(1000);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(200);
    for (const outcome of refused) {
      expect(outcome.reason).toBeInstanceOf(TodoistRateLimited);
      expect(outcome.reason).toMatchObject({ origin: 'budget' });
      expect((outcome.reason as TodoistRateLimited).retryAfterSeconds).toBeGreaterThan(0);
    }
    // Another user's budget is their own.
    await expect(instances[0]!.currentUser(caller('other'))).resolves.toEqual({ id: '42' });
    expect(todoist.requests).toHaveLength(1001);
  }, 120_000);

  it('slides its window: a spent budget comes back as old requests age out, never all at once', async () => {
    const user = caller('slide');
    todoist.respond(() => ({ status: 200, body: { id: '7' } }));
    const budget = new TodoistRateBudget(redis, {
      limit: 5,
      windowSeconds: 1,
      latencyAllowanceMs: 1000,
    });
    const api = new TodoistApiClient({ baseUrl: todoist.url, budget, timeoutMs: 1000 });

    const burst = await Promise.allSettled(Array.from({ length: 8 }, () => api.currentUser(user)));
    expect(burst.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    // Keep calling until 12 have gone through: the window must have slid at least once.
    let sent = 5;
    await expectEventually(
      async () => {
        if (sent < 12) {
          const outcome = await api.currentUser(user).then(
            () => 'sent',
            (error: unknown) => error,
          );
          if (outcome === 'sent') sent++;
          else expect(outcome).toMatchObject({ origin: 'budget' });
        }
        expect(sent).toBe(12);
      },
      { timeoutMs: 30_000, intervalMs: 10 },
    );

    // As Todoist counts: in no span of one second did more than 5 requests arrive.
    const times = todoist.requests.map((r) => r.receivedAt);
    expect(times).toHaveLength(12);
    for (const at of times) {
      expect(times.filter((t) => t > at - 1000 && t <= at).length).toBeLessThanOrEqual(5);
    }
  }, 60_000);

  it('retries a 5xx a bounded number of times, and succeeds when Todoist recovers', async () => {
    todoist.respond(() => ({ status: 503, body: { error: 'Service unavailable' } }));
    const api = client();
    const down = await api.listOpenTasks(caller('down')).catch((error: unknown) => error);
    expect(down).toBeInstanceOf(TodoistUnavailable);
    expect(todoist.requests).toHaveLength(3);

    todoist.requests.length = 0;
    let failures = 1;
    todoist.respond(() =>
      failures-- > 0
        ? { status: 502 }
        : { status: 200, body: { results: [task(1)], next_cursor: null } },
    );
    await expect(api.listOpenTasks(caller('flaky'))).resolves.toHaveLength(1);
    expect(todoist.requests).toHaveLength(2);
  });

  it('types a refused token (401) and does not retry it', async () => {
    todoist.respond(() => ({ status: 401, body: { error: 'Unauthorized' } }));
    const error = await client()
      .listOpenTasks(caller('revoked'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TodoistUnauthorized);
    expect(todoist.requests).toHaveLength(1);
  });

  it('types a 403 as a rejected request, not a refused token: nothing to refresh, not retried', async () => {
    todoist.respond(() => ({ status: 403, body: { error: 'Forbidden' } }));
    const error = await client()
      .closeTask(caller('shared'), 't0001', 'req-403')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TodoistRequestRejected);
    expect(error).not.toBeInstanceOf(TodoistUnauthorized);
    expect((error as TodoistRequestRejected).status).toBe(403);
    expect(todoist.requests).toHaveLength(1);
  });

  it('closes a task with its request id, reads completions page by page and the account id', async () => {
    const user = caller('calls');
    const completed = Array.from({ length: 250 }, (_, i) => ({
      ...task(i + 1),
      completed_at: '2026-12-01T10:00:00.000000Z',
    }));
    todoist.respond(({ method, path, query }) => {
      if (method === 'POST' && path === '/tasks/t0007/close') return { status: 204 };
      if (path === '/tasks/completed/by_completion_date') {
        const from = Number(query.get('cursor') ?? 0);
        const next = from + 200 < completed.length ? String(from + 200) : null;
        return {
          status: 200,
          body: { items: completed.slice(from, from + 200), next_cursor: next },
        };
      }
      if (path === '/user') return { status: 200, body: { id: '2671355', full_name: 'A' } };
      return { status: 404 };
    });
    const api = client();

    await api.closeTask(user, 't0007', 'req-123');
    const since = new Date('2026-11-30T00:00:00.000Z');
    const until = new Date('2026-12-02T00:00:00.000Z');
    await expect(api.completedSince(user, since, until)).resolves.toHaveLength(250);
    await expect(api.currentUser(user)).resolves.toEqual({ id: '2671355' });

    const [close, page1, page2] = todoist.requests;
    expect(close).toMatchObject({ method: 'POST', path: '/tasks/t0007/close' });
    expect(close!.headers['x-request-id']).toBe('req-123');
    expect(page1!.query.get('since')).toBe(since.toISOString());
    expect(page1!.query.get('until')).toBe(until.toISOString());
    expect(page2!.query.get('cursor')).toBe('200');
    await expect(api.closeTask(user, 'gone', 'req-124')).rejects.toBeInstanceOf(
      TodoistRequestRejected,
    );
  });

  it('never puts the token in an error, whatever went wrong', async () => {
    const errors: unknown[] = [];
    const collect = (promise: Promise<unknown>) =>
      promise.then(
        () => errors.push(new Error('expected a failure')),
        (error: unknown) => errors.push(error),
      );
    const answers = [
      { status: 401 },
      { status: 403 },
      { status: 429, body: { error_extra: { retry_after: 1 } } },
      { status: 500 },
      { status: 404 },
      { status: 200, body: 'not json' },
    ];
    for (const answer of answers) {
      todoist.respond(() =>
        answer.body === 'not json'
          ? { status: 200, headers: { 'content-type': 'application/json' }, body: undefined }
          : answer,
      );
      await collect(client().currentUser(caller('leak')));
    }
    todoist.respond(() => ({ status: 200, hang: true }));
    await collect(client({ timeoutMs: 200 }).currentUser(caller('slow')));
    await collect(client({ url: 'http://127.0.0.1:9/api/v1' }).currentUser(caller('offline')));

    expect(errors).toHaveLength(8);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TodoistError);
      const seen = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`;
      expect(seen).not.toContain(TOKEN);
    }
    expect(errors.map((e) => (e as Error).name)).toEqual([
      'TodoistUnauthorized',
      'TodoistRequestRejected',
      'TodoistRateLimited',
      'TodoistUnavailable',
      'TodoistRequestRejected',
      'TodoistUnavailable',
      'TodoistUnavailable',
      'TodoistUnavailable',
    ]);
  });

  it('forgets a user: no key of theirs is left in Redis', async () => {
    const user = caller('forget');
    const budget = new TodoistRateBudget(redis);
    todoist.respond(() => ({ status: 429, headers: { 'retry-after': '30' } }));
    await client()
      .currentUser(user)
      .catch(() => undefined);
    expect(await redis.keys(`${namespace}:*${user.userId}*`)).toHaveLength(2);
    await budget.forget(user.userId);
    expect(await redis.keys(`${namespace}:*${user.userId}*`)).toEqual([]);
  });
});
