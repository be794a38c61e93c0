import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { PushSettingsService } from './push-settings.service.js';

/**
 * `signals.profile.updated.*` → the notifier's copy of the user's push settings (durable
 * `notifier__profile_updated`); what follows from a change is `PushSettingsService.update`'s.
 */
@Controller()
export class ProfileUpdatedConsumer {
  constructor(private readonly settings: PushSettingsService) {}

  @EventPattern<string>('signals.profile.updated.*')
  async onProfileUpdated(@Payload() event: Envelope<'profile.updated'>): Promise<void> {
    const { timezone, quietHours, push, updatedAt } = event.data;
    await this.settings.update(event.userId, {
      timeZone: timezone,
      quietHours,
      pushEnabled: push.enabled,
      updatedAt: new Date(updatedAt),
    });
  }
}
