import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { takeHeadingFocusRequest } from '../routing/heading-focus';

// Tests of build code run in Node (`// @vitest-environment node`): no page to set up there.
const inPage = typeof document !== 'undefined';

beforeEach(() => {
  if (!inPage) return;
  // As web/index.html has it: jsdom's own document has no language.
  document.documentElement.lang = 'en';
  window.history.replaceState(null, '', '/');
  document.cookie = 'oo_csrf=csrf-token-1; path=/';
  // As after a page load: no focus request left over from the last test's navigations.
  takeHeadingFocusRequest();
});

afterEach(() => {
  if (inPage) cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  if (inPage) document.title = '';
});
