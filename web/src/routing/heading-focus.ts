// Where focus goes when the app shows another page without a page load: to the new page's h1,
// as a page load would put a screen reader at the top of the new page. A navigation leaves the
// request pending; the first page heading that mounts afterwards takes it (pages often show a
// loading state first, with no heading or a stand-in one).

let pending = false;

/** The next page heading to mount should take focus. */
export function requestHeadingFocus(): void {
  pending = true;
}

/** Whether a heading mounting now should take focus; answers true once per request. */
export function takeHeadingFocusRequest(): boolean {
  const requested = pending;
  pending = false;
  return requested;
}
