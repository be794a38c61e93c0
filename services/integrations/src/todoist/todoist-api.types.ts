/**
 * The parts of Todoist API v1 answers oO reads (ARCHITECTURE.md §12), in Todoist's own
 * snake_case. Everything else in an answer is ignored.
 */

export interface TodoistDue {
  /** `YYYY-MM-DD`, or a date-time: floating (`2026-12-01T09:00:00`) or fixed (`…Z`). */
  date: string;
  /** A fixed due instant (UTC), where Todoist sends one beside `date`. */
  datetime?: string | null;
  /** The IANA zone a fixed due time was set in; null for floating times and all-day dates. */
  timezone?: string | null;
  is_recurring: boolean;
  string?: string;
}

export interface TodoistTask {
  id: string;
  content: string;
  /** 1 (normal) … 4 (urgent): the reverse of the p1–p4 the apps show. */
  priority: number;
  due: TodoistDue | null;
  added_at: string | null;
  updated_at?: string | null;
  checked?: boolean;
  completed_at?: string | null;
}

/** A task of `/tasks/completed/by_completion_date`: completed, with its completion time. */
export interface TodoistCompletedTask extends TodoistTask {
  completed_at: string;
}

/** `GET /tasks` (and other lists): a page and the cursor of the next, null on the last. */
export interface TodoistResultsPage<T> {
  results: T[];
  next_cursor: string | null;
}

/** `GET /tasks/completed/by_completion_date`: the same, its list named `items`. */
export interface TodoistItemsPage<T> {
  items: T[];
  next_cursor: string | null;
}

/** `GET /user`: the Todoist account the token belongs to (webhooks name it by this id). */
export interface TodoistUser {
  id: string;
}
