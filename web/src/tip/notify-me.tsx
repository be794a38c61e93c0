import { useLayoutEffect, useRef, useState } from 'react';
import { PUSH_BLOCKED_TEXT, PUSH_ON_TEXT } from '../push/push-words';
import { usePushDevice } from '../push/use-push-device';
import { failureSaying, useSending } from '../ui/use-sending';

/**
 * Under the tip, small: the offer to send tips to this device, only where it can work and is not
 * done yet. Once taken (or refused by the browser) the button goes and a status says what
 * follows; focus that was on it stays in this spot rather than falling to the page's start.
 * Once the tip shows, it also renews this device's subscription in the background.
 */
export function NotifyMe({ offer }: { offer: boolean }) {
  // A tip shows: the device's subscription can be renewed now without holding the tip up.
  const push = usePushDevice({ renew: offer });
  const [said, setSaid] = useState('');
  const { sending, problem, send } = useSending(async () => {
    const outcome = await push.turnOn();
    setSaid(outcome === 'on' ? PUSH_ON_TEXT : PUSH_BLOCKED_TEXT);
  }, failureSaying('turn on notifications'));

  const spot = useRef<HTMLDivElement>(null);
  const focusWasHere = useRef(false);
  const settled = push.status === 'on' || push.status === 'blocked';
  useLayoutEffect(() => {
    if (settled && focusWasHere.current) spot.current?.focus();
  }, [settled]);

  const offered = offer && push.status === 'off';
  if (!offered && said === '' && !problem) return null;
  return (
    <div ref={spot} tabIndex={-1} className="notify-me">
      {offered && (
        <button
          type="button"
          className="button quiet-button"
          disabled={sending}
          onClick={() => {
            focusWasHere.current = spot.current?.contains(document.activeElement) ?? false;
            send();
          }}
        >
          Notify me
        </button>
      )}
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <p role="status" className="status">
        {said}
      </p>
    </div>
  );
}
