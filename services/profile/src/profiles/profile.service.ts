import { Injectable } from '@nestjs/common';
import type { ProfileGetResponse, ProfileUpdatedV1, ProfileUpdateRequest } from '@oo/contracts';
import { EventPublisher, rpcFailure } from '@oo/messaging';
import { CURRENT_TERMS_VERSION } from '../legal/legal-documents.js';
import {
  ProfileRepository,
  type ProfileChanges,
  type StoredProfile,
} from './profile.repository.js';

/** Whether the runtime knows the zone (IANA names and their aliases). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Profile rules: what may change and how it is checked. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async get(userId: string): Promise<ProfileGetResponse> {
    return present(await this.profiles.getOrCreate(userId));
  }

  async update(request: ProfileUpdateRequest, now = new Date()): Promise<ProfileGetResponse> {
    const changes: ProfileChanges = {};
    if (request.timezone !== undefined) {
      if (!isTimeZone(request.timezone)) {
        throw rpcFailure(
          'invalid_request',
          `timezone '${request.timezone}' is not an IANA time zone`,
          'timezone',
        );
      }
      changes.timeZone = request.timezone;
    }
    if (request.quietHours !== undefined) {
      if (request.quietHours.start === request.quietHours.end) {
        throw rpcFailure(
          'invalid_request',
          'quietHours.end must differ from quietHours.start',
          'quietHours.end',
        );
      }
      changes.quietStart = request.quietHours.start;
      changes.quietEnd = request.quietHours.end;
    }
    if (request.push !== undefined) changes.pushEnabled = request.push.enabled;
    if (request.acceptTerms !== undefined) {
      if (request.acceptTerms !== CURRENT_TERMS_VERSION) {
        throw rpcFailure(
          'invalid_request',
          `acceptTerms must be the current terms version ${CURRENT_TERMS_VERSION}`,
          'acceptTerms',
        );
      }
      changes.termsVersion = request.acceptTerms;
      changes.termsAcceptedAt = now;
    }
    // What decides when to push is announced (`profile.updated`): the notifier keeps its own
    // copy instead of asking on every decision. Accepting the terms alone changes none of it.
    const pushSettingsChanged =
      request.timezone !== undefined ||
      request.quietHours !== undefined ||
      request.push !== undefined;
    const announce = pushSettingsChanged
      ? async (profile: StoredProfile) => {
          await this.publisher.publish('profile.updated', profile.userId, pushSettings(profile));
        }
      : undefined;
    return present(await this.profiles.update(request.userId, changes, announce));
  }
}

function pushSettings(profile: StoredProfile): ProfileUpdatedV1 {
  return {
    timezone: profile.timeZone,
    quietHours: { start: profile.quietStart, end: profile.quietEnd },
    push: { enabled: profile.pushEnabled },
    updatedAt: profile.updatedAt.toISOString(),
  };
}

function present(profile: StoredProfile): ProfileGetResponse {
  return {
    userId: profile.userId,
    timezone: profile.timeZone,
    quietHours: { start: profile.quietStart, end: profile.quietEnd },
    push: { enabled: profile.pushEnabled },
    consent:
      profile.termsVersion && profile.termsAcceptedAt
        ? { termsVersion: profile.termsVersion, acceptedAt: profile.termsAcceptedAt.toISOString() }
        : null,
    updatedAt: profile.updatedAt.toISOString(),
  };
}
