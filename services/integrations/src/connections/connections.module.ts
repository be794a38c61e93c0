import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConnectionRepository } from './connection.repository.js';
import { ListController } from './list.controller.js';

@Module({
  imports: [TokensModule],
  controllers: [ListController],
  providers: [ConnectionRepository],
  exports: [ConnectionRepository],
})
export class ConnectionsModule {}
