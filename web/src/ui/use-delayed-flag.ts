import { useEffect, useState } from 'react';

/** What feels instant: a wait shorter than this shows nothing rather than a flash of "Loading…". */
export const LOADING_NOTICE_DELAY_MS = 300;

/** True once `active` has stayed true for `delayMs`; false again as soon as it is not. */
export function useDelayedFlag(active: boolean, delayMs = LOADING_NOTICE_DELAY_MS): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!active) {
      setShown(false);
      return;
    }
    const timer = window.setTimeout(() => setShown(true), delayMs);
    return () => window.clearTimeout(timer);
  }, [active, delayMs]);
  return active && shown;
}
