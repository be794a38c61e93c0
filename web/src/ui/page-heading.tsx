import type { ReactNode } from 'react';

/**
 * The page's one h1. Focusable by script (not by Tab) so the app can move focus to it after a
 * client-side navigation, as a page load would for a screen reader.
 */
export function PageHeading({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <h1 tabIndex={-1} className={className}>
      {children}
    </h1>
  );
}
