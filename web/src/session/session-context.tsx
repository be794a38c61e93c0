import { createContext, useContext } from 'react';
import type { Profile, Session } from '../api/oo-api';

/** The signed-in person, as the guard found them. */
export interface SignedIn {
  session: Session;
  profile: Profile;
}

export interface SessionStore {
  /** Undefined until a signed-in route has asked the server. */
  signedIn: SignedIn | undefined;
  setSignedIn: (signedIn: SignedIn | undefined) => void;
  /** After signing in or out, or deleting the account: the next signed-in route asks again. */
  forget: () => void;
}

export const SessionContext = createContext<SessionStore | undefined>(undefined);

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore needs a <SessionProvider>');
  return store;
}

/** For pages behind the guard, where a session is always there. */
export function useSignedIn(): SignedIn {
  const { signedIn } = useSessionStore();
  if (!signedIn) throw new Error('useSignedIn is for pages behind <RequireSession>');
  return signedIn;
}
