import { useEffect, useState, type FormEvent } from 'react';
import type { SignInMethods } from '@oo/contracts';
import { api } from '../api/oo-api';
import { navigate } from '../routing/location-store';
import { Link } from '../routing/link';
import { safeReturnTo } from '../routing/safe-return-to';
import { useLocation } from '../routing/use-location';
import { useSessionStore } from '../session/session-context';
import { LoadingNotice } from '../ui/loading-notice';
import { PageHeading } from '../ui/page-heading';
import { StatusMessage } from '../ui/status-message';
import { useDocumentTitle } from '../ui/use-document-title';

type Methods =
  { state: 'loading' } | { state: 'ready'; methods: SignInMethods } | { state: 'failed' };

/** `/signin`: the ways in this deployment offers (Google; the dev form outside production). */
export function SignInPage() {
  useDocumentTitle('Sign in');
  const { query } = useLocation();
  const returnTo = safeReturnTo(query.get('returnTo'));
  const deleted = query.get('deleted') === '1';
  const [methods, setMethods] = useState<Methods>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.signInMethods(controller.signal).then(
      (found) => setMethods({ state: 'ready', methods: found }),
      () => {
        if (!controller.signal.aborted) setMethods({ state: 'failed' });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return (
    <main className="page narrow sign-in">
      <PageHeading className="brand">oO</PageHeading>
      <p className="tagline">One tip. Right now.</p>
      <StatusMessage>{deleted ? 'Your account has been deleted.' : ''}</StatusMessage>
      <LoadingNotice loading={methods.state === 'loading'} />
      {methods.state === 'failed' && (
        <div className="notice">
          <p role="alert" className="problem">
            Couldn't reach oO to sign you in.
          </p>
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {methods.state === 'ready' && (
        <>
          {methods.methods.google && (
            <a
              className="button primary"
              href={`/auth/google?returnTo=${encodeURIComponent(returnTo)}`}
            >
              Continue with Google
            </a>
          )}
          {methods.methods.devLogin && <DevSignInForm returnTo={returnTo} />}
          {!methods.methods.google && !methods.methods.devLogin && (
            <p className="quiet">Signing in is not set up here yet.</p>
          )}
        </>
      )}
      <p className="quiet legal-links">
        <Link to="/legal/terms">Terms of Service</Link> ·{' '}
        <Link to="/legal/privacy">Privacy Policy</Link>
      </p>
    </main>
  );
}

/** Development only: sign in as anyone by email. */
function DevSignInForm({ returnTo }: { returnTo: string }) {
  const { forget } = useSessionStore();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSending(true);
    setProblem(undefined);
    try {
      await api.devLogin({ email: textOf(form, 'email'), name: textOf(form, 'name') });
      forget();
      navigate(returnTo, { replace: true });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'Signing in did not work.');
      setSending(false);
    }
  }

  return (
    <form className="form dev-sign-in" onSubmit={(event) => void signIn(event)}>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Name
        <input name="name" type="text" autoComplete="name" required />
      </label>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button" disabled={sending}>
        Sign in (development)
      </button>
    </form>
  );
}

const textOf = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};
