import { screen } from '@testing-library/react';

/** What the page's status regions say, in page order (empty ones too). */
export const statusTexts = (): string[] =>
  screen.getAllByRole('status').map((region) => region.textContent ?? '');
