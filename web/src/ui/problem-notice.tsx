import { ApiError } from '../api/api-error';
import { requestHeadingFocus } from '../routing/heading-focus';
import { PageHeading } from './page-heading';

interface ProblemNoticeProps {
  error: unknown;
  onRetry: () => void;
}

/** A load that failed even after its retries: what happened, and a way to try again. */
export function ProblemNotice({ error, onRetry }: ProblemNoticeProps) {
  const serverMessage = error instanceof ApiError && error.fromServer ? error.message : undefined;
  return (
    <section className="notice">
      <PageHeading>Couldn't reach oO</PageHeading>
      <p className="quiet">
        {serverMessage ?? 'Check your connection; oO will be here when you come back.'}
      </p>
      <button
        type="button"
        className="button"
        onClick={() => {
          // The button goes with this notice: focus moves on to whatever heading replaces it.
          requestHeadingFocus();
          onRetry();
        }}
      >
        Try again
      </button>
    </section>
  );
}
