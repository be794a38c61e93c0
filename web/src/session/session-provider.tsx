import { useMemo, useState, type ReactNode } from 'react';
import { SessionContext, type SessionStore, type SignedIn } from './session-context';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [signedIn, setSignedIn] = useState<SignedIn | undefined>(undefined);
  const store = useMemo<SessionStore>(
    () => ({ signedIn, setSignedIn, forget: () => setSignedIn(undefined) }),
    [signedIn],
  );
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}
