// What the app says about notifications, word for word as docs/ui-contract.md has it (the
// browser tests look for these).

/** Said once this device gets tips. */
export const PUSH_ON_TEXT = 'Tips will come to this device.';
/** Said once this device no longer gets tips. */
export const PUSH_OFF_TEXT = 'Tips will no longer come to this device.';
/** Permission denied: only the browser's own settings can undo that. */
export const PUSH_BLOCKED_TEXT =
  "Notifications are blocked for oO. To get tips here, allow notifications for this site in your browser's settings.";
/** No service worker, Push API or Notifications API (iOS has them only for apps on the Home Screen). */
export const PUSH_UNSUPPORTED_TEXT =
  "This browser can't show oO's notifications. On iPhone or iPad, add oO to your Home Screen first.";
/** The browser's question closed without an answer (after "Couldn't turn on notifications."). */
export const PUSH_NOT_ALLOWED_TEXT = "You didn't allow them — choose Allow when your browser asks.";
