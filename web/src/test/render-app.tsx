import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app';

/** The whole app at an address, as a browser would open it. */
export function renderApp(
  address: string,
  options: { advanceTimers?: (ms: number) => unknown } = {},
) {
  window.history.replaceState(null, '', address);
  const user = userEvent.setup(
    options.advanceTimers ? { advanceTimers: options.advanceTimers } : {},
  );
  return { user, ...render(<App />) };
}
