import { useLayoutEffect, useRef, useState } from 'react';
import {
  PUSH_BLOCKED_TEXT,
  PUSH_OFF_TEXT,
  PUSH_ON_TEXT,
  PUSH_UNSUPPORTED_TEXT,
} from '../push/push-words';
import { usePushDevice } from '../push/use-push-device';
import { failureSaying } from '../ui/use-sending';

/**
 * Push on this device: a switch where it can work, and why not where it cannot (no support, or
 * blocked in the browser, which only the browser's settings undo).
 */
export function NotificationsSection() {
  const push = usePushDevice();
  const [switching, setSwitching] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);

  // Refused at the browser's question: the switch goes, and focus stays in the section.
  const body = useRef<HTMLDivElement>(null);
  const focusWasHere = useRef(false);
  const blocked = push.status === 'blocked';
  useLayoutEffect(() => {
    if (blocked && focusWasHere.current) body.current?.focus();
  }, [blocked]);

  const on = push.status === 'on';
  async function toggle() {
    focusWasHere.current = body.current?.contains(document.activeElement) ?? false;
    setSwitching(true);
    setStatus('');
    setProblem(undefined);
    try {
      if (on) {
        await push.turnOff();
        setStatus(PUSH_OFF_TEXT);
      } else if ((await push.turnOn()) === 'on') {
        setStatus(PUSH_ON_TEXT);
      }
    } catch (error) {
      setProblem(failureSaying(on ? 'turn off notifications' : 'turn on notifications')(error));
    } finally {
      setSwitching(false);
    }
  }

  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <p className="quiet">
        oO can send a tip to this device now and then — never during your quiet hours.
      </p>
      <div ref={body} tabIndex={-1}>
        {push.status === 'unsupported' && <p>{PUSH_UNSUPPORTED_TEXT}</p>}
        {blocked && <p>{PUSH_BLOCKED_TEXT}</p>}
        {push.status !== 'unsupported' && !blocked && (
          <button
            type="button"
            role="switch"
            aria-checked={on}
            className="switch"
            disabled={switching || push.status === 'checking'}
            onClick={() => void toggle()}
          >
            Send tips to this device
            <span className="switch-track" aria-hidden="true" />
          </button>
        )}
        {problem && (
          <p role="alert" className="problem">
            {problem}
          </p>
        )}
        {push.status !== 'unsupported' && (
          <p role="status" className="status">
            {status}
          </p>
        )}
      </div>
    </section>
  );
}
