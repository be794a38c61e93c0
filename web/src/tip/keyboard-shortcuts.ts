import { useEffect, useRef } from 'react';

/** The tip page's keys, in the order the "?" dialog lists them. */
export const SHORTCUTS = [
  { key: 'd', does: 'Done' },
  { key: 'x', does: 'Dismiss' },
  { key: 's', does: 'Snooze (then choose how long)' },
  { key: 'h', does: 'Helpful' },
  { key: 'n', does: 'Not helpful' },
  { key: 'w', does: 'Why this tip?' },
  { key: '?', does: 'Show these shortcuts' },
  { key: 'Esc', does: 'Close a dialog or choice' },
] as const;

export type ShortcutKey = 'd' | 'x' | 's' | 'h' | 'n' | 'w' | '?' | 'Escape';
const KEYS = new Set<string>(['d', 'x', 's', 'h', 'n', 'w', '?', 'Escape']);

/**
 * Calls `onShortcut` for the page's single keys — never while typing in a field, never with
 * Ctrl, Alt or Meta (those belong to the browser and the system), never for a held key.
 */
export function useKeyboardShortcuts(enabled: boolean, onShortcut: (key: ShortcutKey) => void) {
  const handler = useRef(onShortcut);
  handler.current = onShortcut;

  useEffect(() => {
    if (!enabled) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey)
        return;
      if (!KEYS.has(event.key) || isTyping(event.target)) return;
      event.preventDefault();
      handler.current(event.key as ShortcutKey);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}
