import { useCallback, useEffect, useReducer, useRef } from 'react';
import { ApiError } from '../api/api-error';
import { api, type Tip, type TipReaction } from '../api/oo-api';
import { emptyKindOf } from './empty-kind';
import { isRating, outcomeOf } from './reactions';
import { initialTipState, tipReducer, type TipState } from './tip-state';

/** While Todoist's first sync runs, ask again this often. */
export const SYNC_POLL_MS = 2000;

export interface TipController {
  state: TipState;
  /** Load again after an error or an empty state; clears the last announcement. */
  reload: () => void;
  react: (action: TipReaction, snoozeMinutes?: number) => void;
}

/**
 * The tip page's data: the first tip (`?tip=<id>` when a notification opened it, else the
 * current one), the next one after each terminal reaction, the empty states, and polling while
 * Todoist is being read.
 */
export function useTip(
  requestedTipId: string | null,
  onLeaveRequestedTip: () => void,
): TipController {
  const [state, dispatch] = useReducer(tipReducer, initialTipState);
  // The page's lifetime, aborted when it goes: a reaction answered after that must not load a
  // tip, nor rewrite the address another page now shows.
  const lifetime = useRef<AbortSignal | undefined>(undefined);
  const gone = () => lifetime.current?.aborted !== false;
  const current = useRef<AbortController | undefined>(undefined);
  const requested = useRef(requestedTipId);
  const stateRef = useRef(state);
  stateRef.current = state;

  const fetchTip = useCallback(async (options: { keepAnnouncement: boolean; quiet?: boolean }) => {
    if (gone()) return;
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    const { signal } = controller;
    if (!options.quiet) dispatch({ type: 'loading', keepAnnouncement: options.keepAnnouncement });
    try {
      const tipId = requested.current;
      const tip: Tip | null = tipId ? await api.tip(tipId, signal) : await api.currentTip(signal);
      if (signal.aborted) return;
      if (tip) {
        dispatch({ type: 'loaded', tip });
        return;
      }
      const integrations = await api.integrations(signal);
      if (!signal.aborted) dispatch({ type: 'empty', empty: emptyKindOf(integrations) });
    } catch (error) {
      // Unauthenticated: the HTTP client is already on its way to the sign-in page.
      if (signal.aborted || (error instanceof ApiError && error.status === 401)) return;
      dispatch({ type: 'failed', error });
    }
  }, []);

  useEffect(() => {
    const mounted = new AbortController();
    lifetime.current = mounted.signal;
    void fetchTip({ keepAnnouncement: false });
    return () => {
      mounted.abort();
      current.current?.abort();
    };
  }, [fetchTip]);

  const syncing = state.view.kind === 'empty' && state.view.empty === 'syncing';
  useEffect(() => {
    if (!syncing) return;
    const timer = window.setTimeout(
      () => void fetchTip({ keepAnnouncement: true, quiet: true }),
      SYNC_POLL_MS,
    );
    return () => window.clearTimeout(timer);
  }, [syncing, state, fetchTip]);

  /** After a terminal reaction the next tip is the current one, whatever the address said. */
  const fetchNext = useCallback(() => {
    if (gone()) return;
    if (requested.current) {
      requested.current = null;
      onLeaveRequestedTip();
    }
    void fetchTip({ keepAnnouncement: true });
  }, [fetchTip, onLeaveRequestedTip]);

  const react = useCallback(
    (action: TipReaction, snoozeMinutes?: number) => {
      const view = stateRef.current.view;
      if (view.kind !== 'tip' || view.sending || (isRating(action) && view.rated)) return;
      const tipId = view.tip.tipId;
      dispatch({ type: 'sending', action });
      const body = action === 'snooze' ? { action, snoozeMinutes } : { action };
      // The reaction itself is not aborted with the page: it was said, and the server keeps it.
      api.react(tipId, body).then(
        () => {
          if (gone()) return;
          if (isRating(action)) {
            dispatch({ type: 'rated' });
          } else {
            dispatch({ type: 'ended', announcement: outcomeOf(action, snoozeMinutes) });
            fetchNext();
          }
        },
        (error: unknown) => {
          if (gone()) return;
          if (error instanceof ApiError && error.status === 409) {
            // Already said: a rating counted before; an ending means this tip is over.
            if (isRating(action)) dispatch({ type: 'rated' });
            else fetchNext();
          } else if (!(error instanceof ApiError && error.status === 401)) {
            dispatch({ type: 'refused', problem: refusalText(error) });
          }
        },
      );
    },
    [fetchNext],
  );

  const reload = useCallback(() => void fetchTip({ keepAnnouncement: false }), [fetchTip]);

  return { state, reload, react };
}

function refusalText(error: unknown): string {
  const reason = error instanceof Error ? error.message : 'Something went wrong.';
  return `Couldn't save that. ${reason} The tip is still here — try again.`;
}
