import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { ConnectionRepository } from './connection.repository.js';

@Module({
  imports: [TokensModule],
  providers: [ConnectionRepository],
  exports: [ConnectionRepository],
})
export class ConnectionsModule {}
