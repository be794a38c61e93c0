// The address bar as a store React can subscribe to: the History API, no library.
import { requestHeadingFocus } from './heading-focus';

const NAVIGATED = 'oo:navigated';

/** Marks history entries the app pushed itself: going back from one stays inside the app. */
interface AppHistoryState {
  inApp: true;
}

export function subscribeToLocation(onChange: () => void): () => void {
  // Back and Forward show another page too: its heading takes focus, as after navigate().
  const onPopState = () => {
    requestHeadingFocus();
    onChange();
  };
  window.addEventListener('popstate', onPopState);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onPopState);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** Path and query as one string: a stable snapshot for useSyncExternalStore. */
export const currentAddress = (): string => window.location.pathname + window.location.search;

/** Moves to another page of the app without a page load. */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === currentAddress() && !replace) return;
  requestHeadingFocus();
  if (replace) window.history.replaceState(window.history.state, '', to);
  else window.history.pushState({ inApp: true } satisfies AppHistoryState, '', to);
  // A new page starts at its top, as after a page load (Back restores the old position).
  if (!replace) document.documentElement.scrollTop = 0;
  window.dispatchEvent(new Event(NAVIGATED));
}

/** Rewrites the address without telling anyone (dropping a query that was only a message). */
export function replaceAddressQuietly(to: string): void {
  window.history.replaceState(window.history.state, '', to);
}

/** Whether this page was reached by a navigation inside the app (so Back stays in it). */
export function arrivedFromInsideApp(): boolean {
  const state: unknown = window.history.state;
  return typeof state === 'object' && state !== null && 'inApp' in state;
}
