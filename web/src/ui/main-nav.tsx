import { Link } from '../routing/link';

/**
 * The quiet footer of the tip page: the way to everything that is not the tip, and where the
 * keyboard shortcuts are (a hint, not a control: the "?" key is the control, and one fewer Tab
 * stop keeps the tip's own buttons close).
 */
export function MainNav({ showShortcutsHint = false }: { showShortcutsHint?: boolean }) {
  return (
    <footer className="footer">
      <nav aria-label="Main">
        <Link to="/connect">Connect</Link>
        <Link to="/settings">Settings</Link>
      </nav>
      {showShortcutsHint && (
        <p className="shortcuts-hint">
          Press <kbd>?</kbd> for keyboard shortcuts
        </p>
      )}
    </footer>
  );
}
