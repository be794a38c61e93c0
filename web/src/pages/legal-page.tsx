import { useEffect, useMemo, useState } from 'react';
import { api, type LegalDocument } from '../api/oo-api';
import { MarkdownView } from '../legal/markdown-view';
import { parseMarkdown } from '../legal/markdown';
import { arrivedFromInsideApp } from '../routing/location-store';
import { isPlainLeftClick, Link } from '../routing/link';
import { LoadingNotice } from '../ui/loading-notice';
import { PageHeading } from '../ui/page-heading';
import { ProblemNotice } from '../ui/problem-notice';
import { useDocumentTitle } from '../ui/use-document-title';

const TITLES: Record<LegalDocument, string> = {
  terms: 'Terms of Service',
  privacy: 'Privacy Policy',
};

type Load =
  { state: 'loading' } | { state: 'ready'; markdown: string } | { state: 'failed'; error: unknown };

/** `/legal/terms`, `/legal/privacy`: the current text, as the server keeps it. */
export function LegalPage({ legalDocument }: { legalDocument: LegalDocument }) {
  useDocumentTitle(TITLES[legalDocument]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    api.legal(legalDocument, controller.signal).then(
      (legal) => setLoad({ state: 'ready', markdown: legal.markdown }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [legalDocument, attempt]);

  const blocks = useMemo(
    () => (load.state === 'ready' ? parseMarkdown(load.markdown) : []),
    [load],
  );

  return (
    <main className="page narrow legal">
      {load.state === 'failed' ? (
        <ProblemNotice error={load.error} onRetry={() => setAttempt((n) => n + 1)} />
      ) : (
        <article>
          <PageHeading>{TITLES[legalDocument]}</PageHeading>
          <LoadingNotice loading={load.state === 'loading'} />
          <MarkdownView blocks={blocks} />
        </article>
      )}
      <p>
        <BackLink />
      </p>
    </main>
  );
}

/** Back where the reader came from inside the app; to the tip when they arrived here directly. */
function BackLink() {
  return (
    <Link
      to="/"
      onClick={(event) => {
        if (!isPlainLeftClick(event) || !arrivedFromInsideApp()) return;
        event.preventDefault();
        window.history.back();
      }}
    >
      Back
    </Link>
  );
}
