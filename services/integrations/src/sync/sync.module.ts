import { Module } from '@nestjs/common';
import { CompletionsModule } from '../completions/completions.module.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { PendingReconcile } from '../reconcile/pending-reconcile.js';
import { SnapshotReconciler } from '../reconcile/snapshot-reconciler.js';
import { TodoistModule } from '../todoist/todoist.module.js';
import { SyncLock } from './sync-lock.js';
import { SyncService } from './sync.service.js';
import { TaskCache } from './task-cache.js';
import { TaskPayloadCap } from './task-payload-cap.js';
import { TaskSnapshotRepository } from './task-snapshot.repository.js';
import { TaskSyncCoordinator } from './task-sync.coordinator.js';
import { TasksController } from './tasks.controller.js';
import { RefreshingTokenSource, TokenSource } from './token-source.js';

/** Sync of a user's open tasks into `task_snapshot` and Redis, and `rpc.integrations.tasks`. */
@Module({
  imports: [ConnectionsModule, TodoistModule, CompletionsModule],
  controllers: [TasksController],
  providers: [
    SyncService,
    SyncLock,
    TaskCache,
    TaskPayloadCap,
    TaskSnapshotRepository,
    TaskSyncCoordinator,
    // Every sync reconciles (src/reconcile): it needs the snapshot the sync replaces.
    SnapshotReconciler,
    PendingReconcile,
    { provide: TokenSource, useClass: RefreshingTokenSource },
  ],
  exports: [
    SyncService,
    SyncLock,
    TaskSyncCoordinator,
    TaskCache,
    TaskSnapshotRepository,
    TokenSource,
  ],
})
export class SyncModule {}
