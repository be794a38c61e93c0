import { useLayoutEffect } from 'react';

/** "oO" for the tip, "Settings — oO" for the rest. */
export function useDocumentTitle(page?: string): void {
  useLayoutEffect(() => {
    document.title = page ? `${page} — oO` : 'oO';
  }, [page]);
}
