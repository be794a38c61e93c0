import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { TodoistApiClient } from '../todoist/todoist-api.client.js';
import { createTodoistApiClient } from '../todoist/todoist-client.factory.js';
import { ConnectController } from './connect.controller.js';
import { ConnectService } from './connect.service.js';
import { OAuthStateStore } from './oauth-state.store.js';
import { TodoistOAuth } from './todoist-oauth.js';

/**
 * Connecting Todoist (OAuth). A first sync after connecting is asked for through `FIRST_SYNC`
 * (first-sync.ts) when some module provides it globally.
 */
@Module({
  imports: [ConnectionsModule],
  controllers: [ConnectController],
  providers: [
    OAuthStateStore,
    TodoistOAuth,
    ConnectService,
    {
      provide: TodoistApiClient,
      inject: [INTEGRATIONS_ENV, Redis],
      useFactory: (env: IntegrationsEnv, redis: Redis) => createTodoistApiClient(env, redis),
    },
  ],
})
export class ConnectModule {}
