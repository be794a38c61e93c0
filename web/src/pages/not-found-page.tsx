import { Link } from '../routing/link';
import { PageHeading } from '../ui/page-heading';
import { useDocumentTitle } from '../ui/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <main className="page narrow">
      <PageHeading>Page not found</PageHeading>
      <p className="quiet">There is nothing at this address.</p>
      <Link to="/" className="button primary">
        Go to your tip
      </Link>
    </main>
  );
}
