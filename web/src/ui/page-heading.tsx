import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { requestHeadingFocus, takeHeadingFocusRequest } from '../routing/heading-focus';

interface PageHeadingProps {
  children: ReactNode;
  className?: string;
  /**
   * Stands in while the page loads: it leaves the focus a navigation asked for to the heading
   * that replaces it, so nobody is left on a heading about to vanish.
   */
  placeholder?: boolean;
}

/**
 * The page's one h1. Focusable by script (not by Tab): when it mounts after a navigation inside
 * the app it takes focus, as a page load would put a screen reader at the top of the new page.
 * Only then, never on a re-render. If it goes while it has focus (its page's content replaced
 * it), the heading that comes next takes focus in its turn.
 */
export function PageHeading({ children, className, placeholder = false }: PageHeadingProps) {
  const heading = useRef<HTMLHeadingElement>(null);

  useLayoutEffect(() => {
    const element = heading.current;
    if (!element || placeholder) return;
    if (takeHeadingFocusRequest()) element.focus();
    return () => {
      if (document.activeElement === element) requestHeadingFocus();
    };
  }, [placeholder]);

  return (
    <h1 ref={heading} tabIndex={-1} className={className}>
      {children}
    </h1>
  );
}
