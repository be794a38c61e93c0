import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Envelope } from '@oo/contracts';
import { ScheduleRepository } from '../scheduling/schedule.repository.js';
import { PushSettingsService } from './push-settings.service.js';

/**
 * `signals.profile.updated.*` → the notifier's copy of the user's push settings (durable
 * `notifier__profile_updated`). Push switched on: the user is looked at on the next timer
 * round; switched off: no more looks.
 */
@Controller()
export class ProfileUpdatedConsumer {
  constructor(
    private readonly settings: PushSettingsService,
    private readonly schedule: ScheduleRepository,
  ) {}

  @EventPattern<string>('signals.profile.updated.*')
  async onProfileUpdated(@Payload() event: Envelope<'profile.updated'>): Promise<void> {
    const { timezone, quietHours, push, updatedAt } = event.data;
    const newer = await this.settings.update(event.userId, {
      timeZone: timezone,
      quietHours,
      pushEnabled: push.enabled,
      updatedAt: new Date(updatedAt),
    });
    if (!newer) return;
    if (push.enabled) await this.schedule.bringForward(event.userId, new Date(), 'now');
    else await this.schedule.remove(event.userId);
  }
}
