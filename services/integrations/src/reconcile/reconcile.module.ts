import { Module } from '@nestjs/common';
import { SyncModule } from '../sync/sync.module.js';
import { TodoistModule } from '../todoist/todoist.module.js';
import { ReconcileScheduler } from './reconcile.scheduler.js';
import { SweepLease } from './sweep-lease.js';
import { SweepRoster } from './sweep-roster.js';

/**
 * The periodic reconcile sweep. Reconcile itself runs inside every sync
 * (`SnapshotReconciler`, provided by `SyncModule`, which needs the snapshot the sync replaces).
 */
@Module({
  imports: [SyncModule, TodoistModule],
  providers: [ReconcileScheduler, SweepLease, SweepRoster],
  exports: [ReconcileScheduler],
})
export class ReconcileModule {}
