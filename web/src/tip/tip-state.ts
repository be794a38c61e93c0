import type { Tip, TipReaction } from '../api/oo-api';

/** Why there is no tip, which decides what the page offers instead. */
export type EmptyKind = 'not_connected' | 'syncing' | 'nothing' | 'needs_reconnect';

export type TipView =
  | { kind: 'loading' }
  | {
      kind: 'tip';
      tip: Tip;
      rated: boolean;
      /** The reaction on its way to the server, if any: the buttons wait for it. */
      sending: TipReaction | undefined;
      /** Why the last reaction did not go through. */
      problem: string | undefined;
    }
  | { kind: 'empty'; empty: EmptyKind }
  | { kind: 'error'; error: unknown };

export interface TipState {
  view: TipView;
  /** What the status region says: the outcome of the last reaction. */
  announcement: string;
}

export type TipEvent =
  | { type: 'loading'; keepAnnouncement: boolean }
  | { type: 'loaded'; tip: Tip }
  | { type: 'empty'; empty: EmptyKind }
  | { type: 'failed'; error: unknown }
  | { type: 'sending'; action: TipReaction }
  | { type: 'ended'; announcement: string }
  | { type: 'rated' }
  | { type: 'refused'; problem: string };

export const initialTipState: TipState = { view: { kind: 'loading' }, announcement: '' };

/** The tip page as a state machine: loading → tip | empty | error, and a tip's reactions. */
export function tipReducer(state: TipState, event: TipEvent): TipState {
  switch (event.type) {
    case 'loading':
      return {
        view: { kind: 'loading' },
        announcement: event.keepAnnouncement ? state.announcement : '',
      };
    case 'loaded':
      return {
        ...state,
        view: { kind: 'tip', tip: event.tip, rated: false, sending: undefined, problem: undefined },
      };
    case 'empty':
      return { ...state, view: { kind: 'empty', empty: event.empty } };
    case 'failed':
      return { ...state, view: { kind: 'error', error: event.error } };
    case 'sending':
      // The last outcome goes quiet now, so the next one is a change a screen reader reads
      // out, even when it is the same words ("Done." twice in a row).
      return {
        ...withTip(state, (view) => ({ ...view, sending: event.action, problem: undefined })),
        announcement: '',
      };
    case 'ended':
      return { view: { kind: 'loading' }, announcement: event.announcement };
    case 'rated':
      return {
        ...withTip(state, (view) => ({ ...view, rated: true, sending: undefined })),
        announcement: 'Thanks — noted.',
      };
    case 'refused':
      return withTip(state, (view) => ({ ...view, sending: undefined, problem: event.problem }));
  }
}

type TipShown = Extract<TipView, { kind: 'tip' }>;

function withTip(state: TipState, change: (view: TipShown) => TipShown): TipState {
  return state.view.kind === 'tip' ? { ...state, view: change(state.view) } : state;
}
