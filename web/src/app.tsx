import { useEffect, useLayoutEffect, useRef } from 'react';
import { setUnauthenticatedHandler } from './api/http-client';
import { currentAddress, navigate } from './routing/location-store';
import { routeFor } from './routing/routes';
import { signInAddress } from './routing/safe-return-to';
import { useLocation } from './routing/use-location';
import { RequireSession } from './session/require-session';
import { useSessionStore } from './session/session-context';
import { SessionProvider } from './session/session-provider';
import { focusPageHeading } from './ui/focus-page-heading';

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
      forget();
      navigate(signInAddress(currentAddress()), { replace: true });
    });
  }, [forget]);

  // After a navigation inside the app, focus goes to the new page's title, as after a page load.
  const firstPage = useRef(true);
  useLayoutEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    focusPageHeading();
  }, [pathname]);

  const route = routeFor(pathname);
  const page = <route.page key={pathname} />;
  return route.access === 'signed-in' ? <RequireSession>{page}</RequireSession> : page;
}
