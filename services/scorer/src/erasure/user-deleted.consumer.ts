import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { policyRegistry } from '@oo/learning';
import { ModelRepository } from '../store/model.repository.js';

/** `signals.user.deleted.*` → every scorer key of the user is deleted, and stays deleted. */
@Controller()
export class UserDeletedConsumer {
  constructor(private readonly models: ModelRepository) {}

  @EventPattern<string>('signals.user.deleted.*')
  async onUserDeleted(@Payload() event: Envelope<'user.deleted'>): Promise<void> {
    await this.models.erase(event.userId, policyRegistry.names());
  }
}
