import { useEffect } from 'react';
import { setUnauthenticatedHandler } from './api/http-client';
import { currentAddress, navigate } from './routing/location-store';
import { routeFor } from './routing/routes';
import { isSignInPath, signInAddress } from './routing/safe-return-to';
import { useLocation } from './routing/use-location';
import { RequireSession } from './session/require-session';
import { useSessionStore } from './session/session-context';
import { SessionProvider } from './session/session-provider';

/** The whole app: one session for all pages, one page per address. */
export function App() {
  return (
    <SessionProvider>
      <Pages />
    </SessionProvider>
  );
}

function Pages() {
  const { pathname } = useLocation();
  const { forget } = useSessionStore();

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      // Every call that fails together lands here; the first one already went to sign in.
      if (isSignInPath(window.location.pathname)) return;
      forget();
      navigate(signInAddress(currentAddress()), { replace: true });
    });
  }, [forget]);

  // Focus after a navigation: the new page's heading takes it when it mounts (PageHeading).
  const route = routeFor(pathname);
  const page = <route.page key={pathname} />;
  return route.access === 'signed-in' ? <RequireSession>{page}</RequireSession> : page;
}
