import { useMemo, useSyncExternalStore } from 'react';
import { currentAddress, subscribeToLocation } from './location-store';

export interface AppLocation {
  pathname: string;
  query: URLSearchParams;
  /** pathname + search, as it would be passed back to navigate(). */
  address: string;
}

export function useLocation(): AppLocation {
  const address = useSyncExternalStore(subscribeToLocation, currentAddress);
  return useMemo(() => {
    const url = new URL(address, window.location.origin);
    return { pathname: url.pathname, query: url.searchParams, address };
  }, [address]);
}
