import { useDelayedFlag } from './use-delayed-flag';

/**
 * A status region of its own for "Loading…", said once a wait has passed a short moment. Always
 * in the page (a live region must exist before it speaks), empty while there is nothing to wait
 * for; outcomes have their own region, so "Loading…" never takes the place of "Done.".
 */
export function LoadingNotice({ loading = true }: { loading?: boolean }) {
  const shown = useDelayedFlag(loading);
  return (
    <p role="status" className="quiet loading">
      {shown ? 'Loading…' : ''}
    </p>
  );
}
