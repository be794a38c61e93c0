import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

beforeEach(() => {
  // As web/index.html has it: jsdom's own document has no language.
  document.documentElement.lang = 'en';
  window.history.replaceState(null, '', '/');
  document.cookie = 'oo_csrf=csrf-token-1; path=/';
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.title = '';
});
