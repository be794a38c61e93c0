/** What the Todoist callback's `?error=<code>` means, in words; unknown codes get the last line. */
const ERROR_WORDS: Record<string, string> = {
  access_denied: "You didn't allow oO to read Todoist.",
  bad_state: 'That connection attempt expired — try again.',
  provider_down: "Todoist didn't answer — try again in a minute.",
  exchange_failed: 'Todoist refused the connection — try again.',
  account_in_use: 'That Todoist account is already connected to another oO account.',
};
const UNKNOWN_ERROR = "The connection didn't work — try again.";

/** The message for `/connect?connected=todoist` or `/connect?error=<code>`; '' for neither. */
export function connectOutcome(query: URLSearchParams): string {
  if (query.get('connected') === 'todoist')
    return 'Todoist is connected. Your first tip is on its way.';
  const error = query.get('error');
  if (error === null) return '';
  return Object.hasOwn(ERROR_WORDS, error) ? ERROR_WORDS[error]! : UNKNOWN_ERROR;
}
