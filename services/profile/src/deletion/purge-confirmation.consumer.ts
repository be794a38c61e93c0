import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { DeletionService } from './deletion.service.js';

/** `signals.user.purged.*`: a service's confirmation that it holds nothing more of the user. */
@Controller()
export class PurgeConfirmationConsumer {
  constructor(private readonly deletions: DeletionService) {}

  @EventPattern<string>('signals.user.purged.*')
  async onPurged(@Payload() event: Envelope<'user.purged'>): Promise<void> {
    await this.deletions.confirm(event.userId, event.data.service);
  }
}
