/** A task's due date as API v1 returns it (ARCHITECTURE.md §12). */
export interface Due {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Present for a task with a time: `YYYY-MM-DDTHH:MM:SS` (floating) or with `Z` (fixed zone). */
  datetime: string | null;
  /** IANA zone of a fixed-zone task; null when floating (read in the user's own zone). */
  timezone: string | null;
  is_recurring: boolean;
  string: string;
  lang: string;
}

/** A task as API v1 returns it. */
export interface Task {
  id: string;
  user_id: string;
  project_id: string;
  section_id: string | null;
  parent_id: string | null;
  added_by_uid: string;
  assigned_by_uid: string | null;
  responsible_uid: string | null;
  labels: string[];
  deadline: null;
  duration: null;
  checked: boolean;
  is_deleted: boolean;
  added_at: string;
  completed_at: string | null;
  updated_at: string;
  due: Due | null;
  priority: number;
  child_order: number;
  content: string;
  description: string;
  day_order: number;
  is_collapsed: boolean;
  note_count: number;
}

/** What a test (or the demo seed) says about a task; everything else gets a realistic default. */
export interface TaskInput {
  content: string;
  description?: string;
  /** 1 normal … 4 urgent (API order, the reverse of the app's p1–p4). */
  priority?: number;
  labels?: string[];
  projectId?: string;
  /** `YYYY-MM-DD` (all-day), `YYYY-MM-DDTHH:MM:SS` (floating) or an ISO instant with `timezone`. */
  dueDate?: string;
  dueTimezone?: string;
  /** The human string; a recurring one (`every day`, `every week`, `every 2 weeks`, `every month`) recurs. */
  dueString?: string;
  addedAt?: string;
}

export interface TodoistUser {
  id: string;
  email: string;
  full_name: string;
  timezone: string;
  inbox_project_id: string;
}

export interface UserInput {
  id?: string;
  email?: string;
  fullName?: string;
  timezone?: string;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query, e.g. `/api/v1/tasks?limit=200`. */
  path: string;
  at: string;
  /** The Todoist user whose token the request carried, when it was valid. */
  userId: string | null;
  status: number;
}

export interface RevokedToken {
  userId: string;
  kind: 'access' | 'refresh';
  revokedAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dropped';

export interface WebhookDelivery {
  deliveryId: string;
  eventName: string;
  userId: string;
  /** The exact bytes POSTed (and signed). */
  body: string;
  status: DeliveryStatus;
  /** Status of the receiver's last answer, when it answered. */
  responseStatus: number | null;
  attempts: number;
}

export interface FaultOptions {
  /** The status the failing requests answer with (default 503). */
  status?: number;
}

/**
 * Drives the local Todoist from a test. Every method is async so the same interface works
 * in-process and over HTTP (`connectLocalTodoist`).
 */
export interface LocalTodoistControl {
  addUser: (input?: UserInput) => Promise<TodoistUser>;
  /** The user the authorize page acts for (the one "signed in to Todoist"). */
  signIn: (userId: string) => Promise<void>;
  /** Adds tasks "in the Todoist app"; each sends `item:added` unless `notify` is false. */
  addTasks: (userId: string, tasks: TaskInput[], options?: { notify?: boolean }) => Promise<Task[]>;
  updateTask: (taskId: string, patch: Partial<TaskInput>) => Promise<Task>;
  /** Completes a task "in the Todoist app" (recurring: moves its due date forward). */
  completeTask: (taskId: string) => Promise<Task>;
  deleteTask: (taskId: string) => Promise<void>;
  /** A user's open tasks, in API order. */
  openTasks: (userId: string) => Promise<Task[]>;
  task: (taskId: string) => Promise<Task | null>;
  /** Number of completions recorded for a task (API and app closes alike). */
  completionCount: (taskId: string) => Promise<number>;
  /** Requests each user may make per window (default 1,000 per 900 s). */
  setRateLimit: (maxRequests: number, windowSeconds?: number) => Promise<void>;
  /** The next `count` API/token requests answer 5xx (default 503). */
  failNext: (count: number, options?: FaultOptions) => Promise<void>;
  /** The next `count` API/token requests never answer (until the server closes). */
  hangNext: (count: number) => Promise<void>;
  /** Every access token issued so far answers 401 from now on (as if expired). */
  expireAccessTokens: () => Promise<void>;
  requests: () => Promise<RequestLogEntry[]>;
  revokedTokens: () => Promise<RevokedToken[]>;
  setWebhookUrl: (url: string | null) => Promise<void>;
  /** The next `count` webhook deliveries are recorded as dropped and never sent. */
  dropNextWebhooks: (count: number) => Promise<void>;
  /** Sends a delivery again: same body, same `X-Todoist-Delivery-ID` (what Todoist's retry does). */
  redeliver: (deliveryId: string) => Promise<WebhookDelivery>;
  deliveries: () => Promise<WebhookDelivery[]>;
}
