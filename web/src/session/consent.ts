import type { Profile } from '../api/oo-api';

/** Consent is due before anything else when none was given, or the terms changed since. */
export function needsConsent(profile: Profile, termsVersion: string): boolean {
  return profile.consent === null || profile.consent.termsVersion !== termsVersion;
}

/** The zone profiles start with; the browser knows better, and says so at the first consent. */
const DEFAULT_ZONE = 'UTC';

/**
 * What "I agree" sends: the terms' version, and the browser's zone only the first time and only
 * while the profile still has the default, so a zone chosen in Settings is never overwritten.
 */
export function consentChanges(
  profile: Profile,
  termsVersion: string,
  browserZone: string | undefined = Intl.DateTimeFormat().resolvedOptions().timeZone,
): { acceptTerms: string; timezone?: string } {
  const firstConsent = profile.consent === null && profile.timezone === DEFAULT_ZONE;
  return firstConsent && browserZone
    ? { acceptTerms: termsVersion, timezone: browserZone }
    : { acceptTerms: termsVersion };
}
