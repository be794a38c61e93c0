import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConnectionRepository } from './connection.repository.js';
import { ListController } from './list.controller.js';
import { TodoistOAuth } from '../connect/todoist-oauth.js';
import { TokenRefresher } from './token-refresher.js';

@Module({
  imports: [TokensModule],
  controllers: [ListController],
  // The OAuth client lives here (not in connect) because refreshing a token needs it too.
  providers: [ConnectionRepository, TodoistOAuth, TokenRefresher],
  exports: [ConnectionRepository, TodoistOAuth, TokenRefresher],
})
export class ConnectionsModule {}
