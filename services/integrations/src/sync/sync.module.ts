import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module.js';
import { TodoistModule } from '../todoist/todoist.module.js';
import { SyncLock } from './sync-lock.js';
import { SyncService } from './sync.service.js';
import { TaskCache } from './task-cache.js';
import { TaskPayloadCap } from './task-payload-cap.js';
import { TaskSnapshotRepository } from './task-snapshot.repository.js';
import { TaskSyncCoordinator } from './task-sync.coordinator.js';
import { TasksController } from './tasks.controller.js';
import { StoredTokenSource, TokenSource } from './token-source.js';

/** Sync of a user's open tasks into `task_snapshot` and Redis, and `rpc.integrations.tasks`. */
@Module({
  imports: [ConnectionsModule, TodoistModule],
  controllers: [TasksController],
  providers: [
    SyncService,
    SyncLock,
    TaskCache,
    TaskPayloadCap,
    TaskSnapshotRepository,
    TaskSyncCoordinator,
    { provide: TokenSource, useClass: StoredTokenSource },
  ],
  exports: [SyncService, TaskSyncCoordinator, TaskCache, TaskSnapshotRepository],
})
export class SyncModule {}
