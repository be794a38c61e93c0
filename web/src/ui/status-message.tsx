import { useEffect, useState } from 'react';

/**
 * How long a status region stays as it was before its new text is set. Screen readers often
 * miss what a live region already holds when it is inserted: the region goes into the page
 * empty, and speaks once the browser has shown it (React Aria's announcer waits as long).
 */
export const LIVE_REGION_DELAY_MS = 100;

/**
 * A status region (role "status") whose message may be there from the start, as an outcome
 * that arrived in the address (`/connect?connected=todoist`, `/signin?deleted=1`): it is set
 * after the region is in the page, so it is read out like any later one.
 */
export function StatusMessage({ children }: { children: string }) {
  const [spoken, setSpoken] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setSpoken(children), LIVE_REGION_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [children]);
  return (
    <p role="status" className="status">
      {spoken}
    </p>
  );
}
