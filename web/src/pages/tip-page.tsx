import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { TipReaction } from '../api/oo-api';
import { replaceAddressQuietly } from '../routing/location-store';
import { useLocation } from '../routing/use-location';
import { EmptyState } from '../tip/empty-state';
import { useKeyboardShortcuts, type ShortcutKey } from '../tip/keyboard-shortcuts';
import { NotifyMe } from '../tip/notify-me';
import { ShortcutsDialog } from '../tip/shortcuts-dialog';
import { TipCard } from '../tip/tip-card';
import { useTip } from '../tip/use-tip';
import { focusPageHeading } from '../ui/focus-page-heading';
import { LoadingNotice } from '../ui/loading-notice';
import { MainNav } from '../ui/main-nav';
import { PageHeading } from '../ui/page-heading';
import { ProblemNotice } from '../ui/problem-notice';
import { useDocumentTitle } from '../ui/use-document-title';

/** `/`: the one tip, or why there is none. */
export function TipPage() {
  useDocumentTitle();
  const { query } = useLocation();
  const [requestedTipId] = useState(() => query.get('tip'));
  // Drops `?tip=` once that tip is over; only while the address is still the tip page's own.
  const leaveRequestedTip = useCallback(() => {
    if (window.location.pathname === '/') replaceAddressQuietly('/');
  }, []);
  const { state, reload, react } = useTip(requestedTipId, leaveRequestedTip);
  const { view, announcement } = state;

  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [whyOpen, setWhyOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const tipId = view.kind === 'tip' ? view.tip.tipId : undefined;
  // A new tip (or none) starts with its choices closed: reset while rendering, not after.
  const [choicesFor, setChoicesFor] = useState(tipId);
  if (choicesFor !== tipId) {
    setChoicesFor(tipId);
    setSnoozeOpen(false);
    setWhyOpen(false);
  }

  // After a reaction the old tip's controls are gone: focus goes to whatever replaced them.
  const focusAfterLoad = useRef(false);
  useLayoutEffect(() => {
    if (view.kind !== 'loading' && focusAfterLoad.current) {
      focusAfterLoad.current = false;
      focusPageHeading();
    }
  }, [view.kind, tipId]);

  const reactToTip = useCallback(
    (action: TipReaction, snoozeMinutes?: number) => {
      if (action === 'done' || action === 'dismiss' || action === 'snooze')
        focusAfterLoad.current = true;
      react(action, snoozeMinutes);
    },
    [react],
  );

  useKeyboardShortcuts(!shortcutsOpen, (key: ShortcutKey) => {
    if (key === '?') return setShortcutsOpen(true);
    if (view.kind !== 'tip') return;
    switch (key) {
      case 'd':
        return reactToTip('done');
      case 'x':
        return reactToTip('dismiss');
      case 's':
        return setSnoozeOpen(true);
      case 'h':
        return reactToTip('helpful');
      case 'n':
        return reactToTip('not_helpful');
      case 'w':
        return setWhyOpen((open) => !open);
      case 'Escape':
        return setSnoozeOpen(false);
    }
  });

  return (
    <>
      <main className="page tip-page">
        {view.kind === 'loading' && (
          <PageHeading className="visually-hidden" placeholder>
            oO
          </PageHeading>
        )}
        {view.kind === 'tip' && (
          <TipCard
            key={view.tip.tipId}
            tip={view.tip}
            rated={view.rated}
            sending={view.sending !== undefined}
            problem={view.problem}
            snoozeOpen={snoozeOpen}
            whyOpen={whyOpen}
            onSnoozeOpenChange={setSnoozeOpen}
            onWhyOpenChange={setWhyOpen}
            onReact={reactToTip}
          />
        )}
        {view.kind === 'empty' && <EmptyState kind={view.empty} onCheckAgain={reload} />}
        {view.kind === 'error' && <ProblemNotice error={view.error} onRetry={reload} />}
        <NotifyMe offer={view.kind === 'tip'} />
        <p role="status" className="status">
          {announcement}
        </p>
        <LoadingNotice loading={view.kind === 'loading'} />
        {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
      </main>
      <MainNav showShortcutsHint />
    </>
  );
}
