import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-error';
import { api, type Profile, type Session } from '../api/oo-api';
import { requestHeadingFocus } from '../routing/heading-focus';
import { LoadingNotice } from '../ui/loading-notice';
import { ProblemNotice } from '../ui/problem-notice';
import { ConsentStep } from './consent-step';
import { needsConsent } from './consent';
import { useSessionStore } from './session-context';

type Gate =
  | { step: 'checking' }
  | { step: 'failed'; error: unknown }
  | { step: 'consent'; session: Session; profile: Profile; termsVersion: string };

/**
 * The guard of signed-in routes: asks who is signed in (the HTTP client refreshes an expired
 * session once, and sends a stranger to /signin?returnTo=…), then whether the current terms
 * were accepted; only then shows the route. What it learns is kept for the next route.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { signedIn, setSignedIn } = useSessionStore();
  const [gate, setGate] = useState<Gate>({ step: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const known = signedIn !== undefined;

  useEffect(() => {
    if (known) return;
    const controller = new AbortController();
    const { signal } = controller;
    setGate({ step: 'checking' });
    (async () => {
      // All three at once: one round trip before the page (a stranger's 401s end in one
      // refresh attempt and one trip to the sign-in page, whichever answers first).
      const [session, profile, terms] = await Promise.all([
        api.session(signal),
        api.profile(signal),
        api.legal('terms', signal),
      ]);
      if (signal.aborted) return;
      if (needsConsent(profile, terms.version)) {
        setGate({ step: 'consent', session, profile, termsVersion: terms.version });
      } else {
        setSignedIn({ session, profile });
      }
    })().catch((error: unknown) => {
      if (signal.aborted) return;
      // Unauthenticated: the HTTP client is already on its way to the sign-in page.
      if (error instanceof ApiError && error.status === 401) return;
      setGate({ step: 'failed', error });
    });
    return () => controller.abort();
  }, [known, attempt, setSignedIn]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  if (signedIn) return children;
  switch (gate.step) {
    case 'checking':
      return (
        <main className="page">
          <LoadingNotice />
        </main>
      );
    case 'failed':
      return (
        <main className="page">
          <ProblemNotice error={gate.error} onRetry={retry} />
        </main>
      );
    case 'consent':
      return (
        <ConsentStep
          profile={gate.profile}
          termsVersion={gate.termsVersion}
          onAccepted={(profile) => {
            // The route's own page replaces the consent step, as after a navigation.
            requestHeadingFocus();
            setSignedIn({ session: gate.session, profile });
          }}
        />
      );
  }
}
