/**
 * What can go wrong talking to Todoist, as types the callers branch on. Messages carry the
 * method, path and status only — never a token, a URL query or a response body.
 */
export abstract class TodoistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401: the token is no longer good. Refresh it, or mark the connection needs_reconnect. */
export class TodoistUnauthorized extends TodoistError {
  constructor(
    readonly request: string,
    readonly status: number,
  ) {
    super(`Todoist refused the token (${status}) on ${request}`);
  }
}

/**
 * Nothing may be sent for this user before `retryAfterSeconds` have passed: Todoist answered
 * 429, now or earlier with its wait still running (`origin: 'todoist'`), or our own per-user
 * budget is spent (`origin: 'budget'`). Only the 429 itself ever reached Todoist.
 */
export class TodoistRateLimited extends TodoistError {
  constructor(
    readonly request: string,
    readonly retryAfterSeconds: number,
    readonly origin: 'todoist' | 'budget',
  ) {
    super(
      origin === 'todoist'
        ? `Todoist rate-limited ${request}; retry after ${retryAfterSeconds} s`
        : `The per-user Todoist budget is spent (${request} not sent); retry after ${retryAfterSeconds} s`,
    );
  }
}

/** 5xx, a timeout, a network failure or an unreadable answer: worth retrying later. */
export class TodoistUnavailable extends TodoistError {
  constructor(
    readonly request: string,
    readonly reason: string,
  ) {
    super(`Todoist unavailable on ${request}: ${reason}`);
  }
}

/**
 * Any other 4xx (403 forbidden to this token, a task that no longer exists, a request Todoist
 * finds malformed): not retried, and no reason to refresh the token.
 */
export class TodoistRequestRejected extends TodoistError {
  constructor(
    readonly request: string,
    readonly status: number,
  ) {
    super(`Todoist rejected ${request} (${status})`);
  }
}
