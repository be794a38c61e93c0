import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { TodoistModule } from '../todoist/todoist.module.js';
import { ConnectController } from './connect.controller.js';
import { ConnectService } from './connect.service.js';
import { FirstSync, SyncAfterConnect } from './first-sync.js';
import { OAuthStateStore } from './oauth-state.store.js';

/** Connecting Todoist (OAuth); a first sync starts once the connection is stored. */
@Module({
  imports: [ConnectionsModule, TodoistModule, SyncModule],
  controllers: [ConnectController],
  providers: [OAuthStateStore, ConnectService, { provide: FirstSync, useClass: SyncAfterConnect }],
})
export class ConnectModule {}
