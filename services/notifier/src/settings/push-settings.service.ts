import { Injectable } from '@nestjs/common';
import { RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { ScheduleRepository } from '../scheduling/schedule.repository.js';
import { PushSettingsRepository, type PushSettings } from './push-settings.repository.js';

const PROFILE_TIMEOUT_MS = 2_000;

/**
 * A user's push settings without an RPC per decision: the copy `signals.profile.updated` keeps;
 * profile is asked only for a user the notifier has never heard of (subscribed before any
 * change was announced), and its answer becomes the copy.
 */
@Injectable()
export class PushSettingsService {
  constructor(
    private readonly settings: PushSettingsRepository,
    private readonly rpc: RpcClient,
    private readonly schedule: ScheduleRepository,
  ) {}

  async of(userId: string): Promise<PushSettings> {
    const copy = await this.settings.get(userId);
    if (copy) return copy;
    const profile = await this.rpc.call(RPC.profile.get, { userId }, PROFILE_TIMEOUT_MS);
    const fetched: PushSettings = {
      timeZone: profile.timezone,
      quietHours: profile.quietHours,
      pushEnabled: profile.push.enabled,
      updatedAt: new Date(profile.updatedAt),
    };
    await this.settings.saveIfNewer(userId, fetched);
    return (await this.settings.get(userId)) ?? fetched;
  }

  /**
   * An announced change, kept unless the copy is newer. Push switched on: the user is looked at
   * on the next timer round; switched off: no more looks.
   */
  async update(userId: string, settings: PushSettings): Promise<void> {
    if (!(await this.settings.saveIfNewer(userId, settings))) return;
    if (settings.pushEnabled) await this.schedule.bringForward(userId, new Date(), 'now');
    else await this.schedule.remove(userId);
  }
}
