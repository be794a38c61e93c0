import { Injectable, Logger } from '@nestjs/common';
import { TaskSyncCoordinator } from '../sync/task-sync.coordinator.js';

/**
 * The seam between connecting and syncing: after a connection is saved, connect asks for a
 * first sync through this. It starts the sync and returns at once: the browser's redirect back
 * to the app does not wait for Todoist's task list, and the app's first `rpc.integrations.tasks`
 * finds the sync running (the coordinator's lock) or done.
 */
export abstract class FirstSync {
  abstract requestFirstSync(userId: string, provider: string): void;
}

@Injectable()
export class SyncAfterConnect extends FirstSync {
  private readonly logger = new Logger(SyncAfterConnect.name);

  constructor(private readonly coordinator: TaskSyncCoordinator) {
    super();
  }

  requestFirstSync(userId: string): void {
    this.coordinator.syncNow(userId).catch((error: unknown) => {
      // The connection stands; the next request for tasks syncs again.
      this.logger.warn(`first sync for ${userId} failed: ${(error as Error).name}`);
    });
  }
}
