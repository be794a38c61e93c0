import { useEffect, useState } from 'react';
import { useSessionStore, useSignedIn } from '../session/session-context';
import {
  deviceSubscription,
  pushAbility,
  turnPushOff,
  turnPushOn,
  type PushAbility,
} from './push-device';

/**
 * How notifications stand here: `checking` while the browser says whether this device is
 * subscribed; `unsupported` and `blocked` (permission denied) leave nothing to offer; `on` is
 * this device subscribed with push on for the person, `off` anything else.
 */
export type PushStatus = 'checking' | 'unsupported' | 'blocked' | 'off' | 'on';

export interface PushDevice {
  status: PushStatus;
  /** Resolves with what came of it ('on', or 'blocked' when refused); rejects when a step failed. */
  turnOn: () => Promise<'on' | 'blocked'>;
  /** Rejects when a step failed. */
  turnOff: () => Promise<void>;
}

/**
 * Push on this device for the signed-in person, as the tip page and the settings share it: the
 * profile's `push.enabled` (kept in the session store) and what the browser knows of this device.
 */
export function usePushDevice(): PushDevice {
  const { session, profile } = useSignedIn();
  const { setSignedIn } = useSessionStore();
  const [ability, setAbility] = useState(pushAbility);
  const [subscribed, setSubscribed] = useState<boolean | undefined>(undefined);

  useEffect(() => {
    if (pushAbility() === 'unsupported') return;
    let current = true;
    deviceSubscription().then(
      (subscription) => current && setSubscribed(subscription !== null),
      // A browser that cannot say (a private window, say) has no subscription to speak of.
      () => current && setSubscribed(false),
    );
    return () => {
      current = false;
    };
  }, []);

  async function turnOn(): Promise<'on' | 'blocked'> {
    try {
      const outcome = await turnPushOn();
      if (outcome.kind === 'denied') return 'blocked';
      setSubscribed(true);
      setSignedIn({ session, profile: outcome.profile });
      return 'on';
    } finally {
      setAbility(pushAbility());
    }
  }

  async function turnOff(): Promise<void> {
    const updated = await turnPushOff();
    setSubscribed(false);
    setSignedIn({ session, profile: updated });
  }

  return { status: statusOf(ability, subscribed, profile.push.enabled), turnOn, turnOff };
}

function statusOf(
  ability: PushAbility,
  subscribed: boolean | undefined,
  enabled: boolean,
): PushStatus {
  if (ability === 'unsupported') return 'unsupported';
  if (ability === 'denied') return 'blocked';
  if (subscribed === undefined) return 'checking';
  return subscribed && enabled && ability === 'granted' ? 'on' : 'off';
}
