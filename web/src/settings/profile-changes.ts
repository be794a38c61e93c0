import type { ProfileChanges } from '@oo/contracts';
import type { Profile } from '../api/oo-api';

export interface SettingsForm {
  timezone: string;
  quietStart: string;
  quietEnd: string;
}

export const formOf = (profile: Profile): SettingsForm => ({
  timezone: profile.timezone,
  quietStart: profile.quietHours.start,
  quietEnd: profile.quietHours.end,
});

/** Only what changed goes to PATCH /api/me; quiet hours travel as a pair. */
export function changesBetween(profile: Profile, form: SettingsForm): ProfileChanges {
  const changes: ProfileChanges = {};
  if (form.timezone !== profile.timezone) changes.timezone = form.timezone;
  if (form.quietStart !== profile.quietHours.start || form.quietEnd !== profile.quietHours.end) {
    changes.quietHours = { start: form.quietStart, end: form.quietEnd };
  }
  return changes;
}

/** The server names a faulty field by its JSON path; people know it by its label. */
export const FIELD_LABELS: Record<string, string> = {
  timezone: 'Time zone',
  quietHours: 'Quiet hours',
  'quietHours.start': 'Quiet hours start',
  'quietHours.end': 'Quiet hours end',
};

/** Every zone this browser knows, with the profile's own even if the list lacks it ("UTC"). */
export function timeZoneChoices(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}
