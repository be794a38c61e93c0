/**
 * Every Redis key integrations keeps about a user, in one place, so erasure can delete them all.
 * The user id is the hash tag: one slot per user on a Redis Cluster, and the Lua scripts that
 * touch two of them stay legal.
 */
const userPrefix = (userId: string): string => `oo:integrations:todoist:{${userId}}`;

export const todoistKeys = {
  /** The cached open tasks (`TaskCache`). */
  tasks: (userId: string): string => `${userPrefix(userId)}:tasks`,
  /** Ids of tasks just completed or deleted (scored by when they may show again, `TaskCache`). */
  completedTasks: (userId: string): string => `${userPrefix(userId)}:completed-tasks`,
  /** Who is syncing the user now (`SyncLock`). */
  syncLock: (userId: string): string => `${userPrefix(userId)}:sync-lock`,
  /** The request log of the per-user Todoist budget (`TodoistRateBudget`). */
  budget: (userId: string): string => `${userPrefix(userId)}:budget`,
  /** Until when Todoist asked us to wait (429). */
  blocked: (userId: string): string => `${userPrefix(userId)}:blocked`,
  /** Who is refreshing the user's access token now (`TokenRefresher`). */
  tokenRefreshLock: (userId: string): string => `${userPrefix(userId)}:token-refresh-lock`,
  /** Completions reconcile could not settle yet (`PendingReconcile`): ids and keys, no text. */
  reconcilePending: (userId: string): string => `${userPrefix(userId)}:reconcile-pending`,
  /** The completion key each done event closes with (`CloseIntents`): ids and keys, no text. */
  closeIntents: (userId: string): string => `${userPrefix(userId)}:close-intents`,
  all(userId: string): string[] {
    return [
      this.tasks(userId),
      this.completedTasks(userId),
      this.syncLock(userId),
      this.budget(userId),
      this.blocked(userId),
      this.tokenRefreshLock(userId),
      this.reconcilePending(userId),
      this.closeIntents(userId),
    ];
  },
};
