import type { Tip } from '../api/oo-api';
import { describeDue } from './due-text';
import { priorityLabel } from './priority-label';

/**
 * Priority, due date and the way to the task in its app, in quiet type under the title; nothing
 * when there is none of them.
 */
export function TipMeta({ tip, now }: { tip: Tip; now?: Date }) {
  const priority = priorityLabel(tip.priority);
  const due = describeDue(tip.due, now);
  const url = isWebAddress(tip.url) ? tip.url : undefined;
  if (!priority && !due && !url) return null;
  return (
    <p className="tip-meta">
      {priority && (
        <span className={`priority priority-${priority.toLowerCase()}`}>{priority}</span>
      )}
      {due && <time dateTime={due.dateTime}>{due.text}</time>}
      {url && (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {tip.source === 'todoist' ? 'Open in Todoist' : 'Open the task'}
        </a>
      )}
    </p>
  );
}

/** Only a web address opens from the tip: a `javascript:` URL from a task app must not run. */
const isWebAddress = (url: string | null): url is string =>
  url !== null && /^https?:\/\//i.test(url);
