import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConnectionRepository } from './connection.repository.js';
import { ListController } from './list.controller.js';
import { TodoistOAuth } from '../connect/todoist-oauth.js';
import { TokenRefresher } from './token-refresher.js';
import { PendingRevocationRepository } from '../disconnect/pending-revocation.repository.js';

@Module({
  imports: [TokensModule],
  controllers: [ListController],
  // The OAuth client lives here (not in connect) because refreshing a token needs it too, and
  // the revocation queue because a refresh that loses to a disconnect must revoke what it got.
  providers: [ConnectionRepository, TodoistOAuth, TokenRefresher, PendingRevocationRepository],
  exports: [ConnectionRepository, TodoistOAuth, TokenRefresher, PendingRevocationRepository],
})
export class ConnectionsModule {}
