import { useLayoutEffect, useRef } from 'react';
import type { Rating } from './reactions';

interface RatingsProps {
  rated: boolean;
  onRate: (rating: Rating) => void;
}

/**
 * Helpful / not helpful: one rating per tip, so both buttons go quiet once it counted. A
 * disabled button cannot keep focus, so focus that was on one moves to the group: a keyboard
 * user stays where they were.
 */
export function Ratings({ rated, onRate }: RatingsProps) {
  const group = useRef<HTMLDivElement>(null);
  const focusWasHere = useRef(false);

  useLayoutEffect(() => {
    if (rated && focusWasHere.current) group.current?.focus();
  }, [rated]);

  function rate(rating: Rating) {
    focusWasHere.current = group.current?.contains(document.activeElement) ?? false;
    onRate(rating);
  }

  return (
    <div ref={group} role="group" aria-label="Rate this tip" tabIndex={-1} className="ratings">
      <button
        type="button"
        className="button quiet-button"
        disabled={rated}
        onClick={() => rate('helpful')}
      >
        Helpful
      </button>
      <button
        type="button"
        className="button quiet-button"
        disabled={rated}
        onClick={() => rate('not_helpful')}
      >
        Not helpful
      </button>
    </div>
  );
}
