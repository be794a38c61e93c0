import type { ReactElement } from 'react';
import { ConnectPage } from '../pages/connect-page';
import { LegalPage } from '../pages/legal-page';
import { NotFoundPage } from '../pages/not-found-page';
import { SettingsPage } from '../pages/settings-page';
import { SignInPage } from '../pages/sign-in-page';
import { TipPage } from '../pages/tip-page';

export interface Route {
  /** `signed-in` routes pass the guard (and the consent step) first. */
  access: 'public' | 'signed-in';
  page: () => ReactElement;
}

const ROUTES: Record<string, Route> = {
  '/': { access: 'signed-in', page: () => <TipPage /> },
  '/connect': { access: 'signed-in', page: () => <ConnectPage /> },
  '/settings': { access: 'signed-in', page: () => <SettingsPage /> },
  '/signin': { access: 'public', page: () => <SignInPage /> },
  '/legal/terms': { access: 'public', page: () => <LegalPage legalDocument="terms" /> },
  '/legal/privacy': { access: 'public', page: () => <LegalPage legalDocument="privacy" /> },
};

const NOT_FOUND: Route = { access: 'public', page: () => <NotFoundPage /> };

/** The page for an address; a trailing slash is forgiven (`/settings/`). */
export function routeFor(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return ROUTES[path] ?? NOT_FOUND;
}
