import { useId, useLayoutEffect, useRef } from 'react';
import type { Tip, TipReaction } from '../api/oo-api';
import { PageHeading } from '../ui/page-heading';
import { Ratings } from './ratings';
import { SnoozeChoice } from './snooze-choice';
import { TipMeta } from './tip-meta';
import { useSwipe } from './use-swipe';
import { WhyPanel } from './why-panel';

interface TipCardProps {
  tip: Tip;
  rated: boolean;
  sending: boolean;
  problem: string | undefined;
  snoozeOpen: boolean;
  whyOpen: boolean;
  onSnoozeOpenChange: (open: boolean) => void;
  onWhyOpenChange: (open: boolean) => void;
  onReact: (action: TipReaction, snoozeMinutes?: number) => void;
}

/** The one tip: its title, when it is due, and what can be said about it. */
export function TipCard(props: TipCardProps) {
  const { tip, rated, sending, problem, snoozeOpen, whyOpen } = props;
  const { onSnoozeOpenChange, onWhyOpenChange, onReact } = props;
  const whyId = useId();
  const snoozeButton = useRef<HTMLButtonElement>(null);
  const { swipe, handlers } = useSwipe((direction) =>
    onReact(direction === 'right' ? 'done' : 'dismiss'),
  );

  // Closing the choice without choosing gives focus back to the button that opened it.
  const wasOpen = useRef(snoozeOpen);
  useLayoutEffect(() => {
    if (wasOpen.current && !snoozeOpen && !sending) snoozeButton.current?.focus();
    wasOpen.current = snoozeOpen;
  }, [snoozeOpen, sending]);

  return (
    <article
      className="tip-card"
      data-swipe={swipe.direction}
      data-armed={swipe.armed || undefined}
      aria-busy={sending || undefined}
      {...handlers}
    >
      <PageHeading className="tip-title">{tip.title}</PageHeading>
      <TipMeta tip={tip} />

      {snoozeOpen ? (
        <SnoozeChoice
          onChoose={(minutes) => onReact('snooze', minutes)}
          onCancel={() => onSnoozeOpenChange(false)}
        />
      ) : (
        <div className="actions">
          <button type="button" className="button primary" onClick={() => onReact('done')}>
            Done
          </button>
          <button type="button" className="button" onClick={() => onReact('dismiss')}>
            Dismiss
          </button>
          <button
            ref={snoozeButton}
            type="button"
            className="button"
            onClick={() => onSnoozeOpenChange(true)}
          >
            Snooze
          </button>
        </div>
      )}

      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}

      <Ratings rated={rated} onRate={onReact} />

      <button
        type="button"
        className="link-button"
        aria-expanded={whyOpen}
        aria-controls={whyOpen ? whyId : undefined}
        onClick={() => onWhyOpenChange(!whyOpen)}
      >
        Why this tip?
      </button>
      {whyOpen && <WhyPanel id={whyId} why={tip.why} />}

      <p className="swipe-hint" aria-hidden="true">
        {swipe.direction === 'right' ? 'Done' : swipe.direction === 'left' ? 'Dismiss' : ''}
      </p>
    </article>
  );
}
