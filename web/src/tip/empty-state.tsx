import { Link } from '../routing/link';
import { PageHeading } from '../ui/page-heading';
import type { EmptyKind } from './tip-state';

/** No tip right now, and what to do about it. */
export function EmptyState({ kind, onCheckAgain }: { kind: EmptyKind; onCheckAgain: () => void }) {
  switch (kind) {
    case 'not_connected':
      return (
        <section className="notice">
          <PageHeading>Connect Todoist to get your first tip</PageHeading>
          <p className="quiet">oO reads your tasks and shows you one at a time.</p>
          <Link to="/connect" className="button primary">
            Connect Todoist
          </Link>
        </section>
      );
    case 'syncing':
      return (
        <section className="notice">
          <PageHeading>Reading your tasks…</PageHeading>
          <p className="quiet">Your first tip appears here by itself in a moment.</p>
        </section>
      );
    case 'nothing':
      return (
        <section className="notice">
          <PageHeading>Nothing to do right now</PageHeading>
          <p className="quiet">Add a task in Todoist, or come back later.</p>
          <button type="button" className="button" onClick={onCheckAgain}>
            Check again
          </button>
        </section>
      );
    case 'needs_reconnect':
      return (
        <section className="notice">
          <PageHeading>Todoist needs you to reconnect</PageHeading>
          <p className="quiet">Todoist stopped accepting oO's access.</p>
          <Link to="/connect" className="button primary">
            Reconnect Todoist
          </Link>
        </section>
      );
  }
}
