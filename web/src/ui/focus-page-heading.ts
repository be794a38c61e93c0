/**
 * Moves focus to the page's h1, as a page load would: a screen reader then reads the new
 * page's title, and Tab continues from the top of its content.
 */
export function focusPageHeading(): void {
  document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: false });
}
