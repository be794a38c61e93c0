import { Module } from '@nestjs/common';
import { Redis } from 'ioredis';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import { TodoistApiClient } from './todoist-api.client.js';
import { createTodoistApiClient } from './todoist-client.factory.js';

/** The Todoist API client as the service runs it, its budget in the service's Redis. */
@Module({
  providers: [
    {
      provide: TodoistApiClient,
      inject: [INTEGRATIONS_ENV, Redis],
      useFactory: (env: IntegrationsEnv, redis: Redis) => createTodoistApiClient(env, redis),
    },
  ],
  exports: [TodoistApiClient],
})
export class TodoistModule {}
