import { useDelayedFlag } from './use-delayed-flag';

/** A page still waiting for its data: after a short moment, says so in a status region. */
export function LoadingNotice() {
  const shown = useDelayedFlag(true);
  return (
    <p role="status" className="quiet loading">
      {shown ? 'Loading…' : ''}
    </p>
  );
}
