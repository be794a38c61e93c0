import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { TodoistRevoke } from '../todoist/todoist-revoke.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConnectionRemoval } from './connection-removal.js';
import { DisconnectController } from './disconnect.controller.js';
import { GrantRevocation } from './grant-revocation.js';

/** Disconnecting a provider, and the removal account deletion shares with it. */
@Module({
  imports: [ConnectionsModule, TokensModule, SyncModule],
  controllers: [DisconnectController],
  providers: [TodoistRevoke, GrantRevocation, ConnectionRemoval],
  exports: [ConnectionRemoval],
})
export class DisconnectModule {}
