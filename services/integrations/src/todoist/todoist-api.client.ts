import type { TodoistRateBudget } from './rate-budget.js';
import { DEFAULT_RETRY, withRetries, type RetryHooks, type RetryOptions } from './retry.js';
import type {
  TodoistCompletedTask,
  TodoistItemsPage,
  TodoistResultsPage,
  TodoistTask,
  TodoistUser,
} from './todoist-api.types.js';
import {
  TodoistRateLimited,
  TodoistRequestRejected,
  TodoistUnauthorized,
  TodoistUnavailable,
} from './todoist-errors.js';

/** Whose request it is: the oO user (their rate budget) and their Todoist access token. */
export interface TodoistCaller {
  userId: string;
  token: string;
}

export interface TodoistApiClientOptions {
  /** `TODOIST_API_URL`, e.g. `https://api.todoist.com/api/v1`. */
  baseUrl: string;
  budget: TodoistRateBudget;
  /** Per attempt, the answer's body included. */
  timeoutMs?: number;
  retry?: RetryOptions;
  retryHooks?: RetryHooks;
  /** Pages followed before a list is given up as endless (200 tasks a page). */
  maxPages?: number;
}

/** Todoist's largest page. */
const PAGE_LIMIT = 200;
/** When a 429 names no wait: Todoist's window is 15 minutes, a minute is a careful guess. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * Todoist API v1 over `fetch`, the calls oO needs and nothing more. Every request — retries
 * included — first takes a slot of the user's Redis budget (`TodoistRateBudget`), so no load
 * on oO can send more than the budget, and nothing at all while a 429's wait runs; 5xx and
 * timeouts are retried a bounded number of times with jitter (`withRetries`). Errors are
 * typed (`todoist-errors.ts`) and never carry the token.
 */
export class TodoistApiClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxPages: number;

  constructor(private readonly options: TodoistApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxPages = options.maxPages ?? 100;
  }

  /** Every open task, page by page (`limit=200`, following `next_cursor` to the end). */
  async listOpenTasks(caller: TodoistCaller): Promise<TodoistTask[]> {
    return this.allPages(caller, '/tasks', {}, (page: TodoistResultsPage<TodoistTask>) => [
      page.results,
      page.next_cursor,
    ]);
  }

  /**
   * Tasks completed in [since, until) — recurring completions are not among them (Todoist
   * leaves them out; reconcile watches the due date instead).
   */
  async completedSince(
    caller: TodoistCaller,
    since: Date,
    until: Date,
  ): Promise<TodoistCompletedTask[]> {
    const query = { since: since.toISOString(), until: until.toISOString() };
    return this.allPages(
      caller,
      '/tasks/completed/by_completion_date',
      query,
      (page: TodoistItemsPage<TodoistCompletedTask>) => [page.items, page.next_cursor],
    );
  }

  /**
   * Closes a task (a recurring one moves to its next date and stays open). `requestId` makes
   * retries idempotent at Todoist: send the same one for the same intent.
   */
  async closeTask(caller: TodoistCaller, taskId: string, requestId: string): Promise<void> {
    await this.request(caller, {
      method: 'POST',
      path: `/tasks/${encodeURIComponent(taskId)}/close`,
      headers: { 'X-Request-Id': requestId },
    });
  }

  /** The Todoist account behind the token (`GET /user`); webhooks name users by this id. */
  async currentUser(caller: TodoistCaller): Promise<TodoistUser> {
    const user = (await this.request(caller, { method: 'GET', path: '/user' })) as {
      id?: unknown;
    } | null;
    if (typeof user?.id !== 'string' && typeof user?.id !== 'number')
      throw new TodoistUnavailable('GET /user', 'the answer has no user id');
    return { id: String(user.id) };
  }

  /** Requests `userId` may still send now (their budget; 0 while a 429's wait runs). */
  budgetLeft(userId: string): Promise<number> {
    return this.options.budget.remaining(userId);
  }

  private async allPages<P, T>(
    caller: TodoistCaller,
    path: string,
    query: Record<string, string>,
    read: (page: P) => [T[] | undefined, string | null | undefined],
  ): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < this.maxPages; page++) {
      const pageQuery = { ...query, limit: String(PAGE_LIMIT), ...(cursor ? { cursor } : {}) };
      const body = (await this.request(caller, { method: 'GET', path, query: pageQuery })) as P;
      const [items, next] = read(body);
      if (!Array.isArray(items)) throw new TodoistUnavailable(`GET ${path}`, 'not a list page');
      all.push(...items);
      if (!next) return all;
      cursor = next;
    }
    throw new TodoistUnavailable(`GET ${path}`, `still paging after ${this.maxPages} pages`);
  }

  private request(caller: TodoistCaller, spec: RequestSpec): Promise<unknown> {
    return withRetries(
      () => this.attempt(caller, spec),
      this.options.retry ?? DEFAULT_RETRY,
      this.options.retryHooks,
    );
  }

  /** One request: the budget first, then Todoist, then the answer sorted into a type. */
  private async attempt(caller: TodoistCaller, spec: RequestSpec): Promise<unknown> {
    const label = `${spec.method} ${spec.path}`;
    const slot = await this.options.budget.take(caller.userId);
    if (!slot.ok) {
      const seconds = Math.ceil(slot.retryAfterMs / 1000);
      throw new TodoistRateLimited(
        label,
        seconds,
        slot.reason === 'blocked' ? 'todoist' : 'budget',
      );
    }

    const url = new URL(`${this.baseUrl}${spec.path}`);
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        method: spec.method,
        headers: { Authorization: `Bearer ${caller.token}`, ...spec.headers },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new TodoistUnavailable(label, failureReason(error));
    }

    const { status } = response;
    // Only 401 says the token is bad; a 403 is this request refused to a good token (a task
    // the user may not close, a scope the grant lacks) and is the caller's to judge.
    if (status === 401) {
      await discard(response);
      throw new TodoistUnauthorized(label, status);
    }
    if (status === 429) {
      const seconds = await retryAfterSeconds(response);
      await this.options.budget.block(caller.userId, seconds);
      throw new TodoistRateLimited(label, seconds, 'todoist');
    }
    if (status >= 500) {
      await discard(response);
      throw new TodoistUnavailable(label, `status ${status}`);
    }
    if (status >= 400) {
      await discard(response);
      throw new TodoistRequestRejected(label, status);
    }
    try {
      const text = await response.text();
      return text ? (JSON.parse(text) as unknown) : null;
    } catch (error) {
      throw new TodoistUnavailable(label, failureReason(error));
    }
  }
}

/** A short, token-free reason: the error's name and code, never its message or cause text. */
function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  if (error.name === 'TimeoutError') return 'timed out';
  if (error instanceof SyntaxError) return 'unreadable answer';
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `network error ${code}` : `network error (${error.name})`;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or an HTTP date) and the body's
 * `error_extra.retry_after`, the longer when both are there; a minute when neither is.
 */
async function retryAfterSeconds(response: Response): Promise<number> {
  const waits: number[] = [];
  const header = response.headers.get('retry-after');
  if (header !== null) {
    const seconds = Number(header);
    const date = Date.parse(header);
    if (header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) waits.push(seconds);
    else if (Number.isFinite(date)) waits.push(Math.max(0, (date - Date.now()) / 1000));
  }
  try {
    const body = JSON.parse(await response.text()) as { error_extra?: { retry_after?: unknown } };
    const seconds = Number(body?.error_extra?.retry_after);
    if (
      typeof body?.error_extra?.retry_after !== 'undefined' &&
      Number.isFinite(seconds) &&
      seconds >= 0
    )
      waits.push(seconds);
  } catch {
    // No JSON body: the header alone decides.
  }
  return waits.length ? Math.ceil(Math.max(...waits)) : DEFAULT_RETRY_AFTER_SECONDS;
}
