import { useId, useLayoutEffect, useRef, type ReactNode, type KeyboardEvent } from 'react';

interface ModalDialogProps {
  /** `alertdialog` for a decision with consequences (deleting the account). */
  role?: 'dialog' | 'alertdialog';
  title: string;
  /** Read out with the title when the dialog opens (aria-describedby). */
  description?: string;
  onClose: () => void;
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: focus moves to its first control (or the one marked `data-autofocus`) when it
 * opens, stays inside while it is
 * open (Tab wraps), and returns to whatever had it when it closes; Escape closes it.
 */
export function ModalDialog({
  role = 'dialog',
  title,
  description,
  onClose,
  children,
}: ModalDialogProps) {
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const chosen = panel.current?.querySelector<HTMLElement>('[data-autofocus]');
    const first = panel.current?.querySelector<HTMLElement>(FOCUSABLE);
    (chosen ?? first ?? panel.current)?.focus();
    return () => opener?.focus();
  }, []);

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Tab') {
      keepFocusInside(event);
    }
  }

  function keepFocusInside(event: KeyboardEvent<HTMLDivElement>) {
    const focusable = [...(panel.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="backdrop">
      <div
        ref={panel}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        className="dialog"
        onKeyDown={handleKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        {description && <p id={descriptionId}>{description}</p>}
        {children}
      </div>
    </div>
  );
}
