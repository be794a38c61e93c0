import { useEffect, useState } from 'react';
import type { Session } from '../api/oo-api';
import { useSessionStore, useSignedIn } from '../session/session-context';
import {
  pushAbility,
  renewThisDevice,
  subscribedWithServerKey,
  turnPushOffHere,
  turnPushOn,
  type PushAbility,
} from './push-device';

/**
 * How notifications stand here: `checking` while the browser says whether this device is
 * subscribed; `unsupported` and `blocked` (permission denied) leave nothing to offer; `on` is
 * this device subscribed with the server's key and push on for the person, `off` anything else.
 */
export type PushStatus = 'checking' | 'unsupported' | 'blocked' | 'off' | 'on';

export interface PushDevice {
  status: PushStatus;
  /** Resolves with what came of it ('on', or 'blocked' when refused); rejects when a step failed. */
  turnOn: () => Promise<'on' | 'blocked'>;
  /** This device only; push stays on for the person's others. Rejects when a step failed. */
  turnOff: () => Promise<void>;
}

/** The sessions (one per page load, or per sign-in since) whose device was renewed already. */
const renewedFor = new WeakSet<Session>();

/**
 * Push on this device for the signed-in person, as the tip page and the settings share it: the
 * profile's `push.enabled` (kept in the session store) and what the browser knows of this device.
 * Once `renew` is true (the tip page, once its tip shows: never before it), the device's
 * subscription is renewed in the background, once per session (see renewThisDevice).
 */
export function usePushDevice({ renew = false }: { renew?: boolean } = {}): PushDevice {
  const { session, profile } = useSignedIn();
  const { setSignedIn } = useSessionStore();
  const [ability, setAbility] = useState(pushAbility);
  const [subscribed, setSubscribed] = useState<boolean | undefined>(undefined);

  useEffect(() => {
    if (pushAbility() === 'unsupported') return;
    let current = true;
    // What became known meanwhile (turned on or off, renewed) stands.
    const found = (yes: boolean) => current && setSubscribed((known) => known ?? yes);
    subscribedWithServerKey().then(
      found,
      // A browser that cannot say (a private window, say) has no subscription to speak of.
      () => found(false),
    );
    return () => {
      current = false;
    };
  }, []);

  const enabled = profile.push.enabled;
  useEffect(() => {
    // Decided once, when first asked: push turned on later sent the subscription already.
    if (!renew || renewedFor.has(session)) return;
    renewedFor.add(session);
    if (!enabled) return;
    // Not cancelled with the page: what it did stands, and a later page asks the browser again.
    renewThisDevice().then(
      (subscription) => subscription && setSubscribed(true),
      (error: unknown) => console.warn("Couldn't renew this device's push subscription.", error),
    );
  }, [renew, enabled, session]);

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
    await turnPushOffHere();
    setSubscribed(false);
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
