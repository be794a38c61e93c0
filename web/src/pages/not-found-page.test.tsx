import { screen } from '@testing-library/react';
import { expect, it } from 'vitest';
import { fakeServer } from '../test/fake-server';
import { renderApp } from '../test/render-app';

it('answers an unknown address with "Page not found" and the way back to the tip', () => {
  const server = fakeServer({});
  renderApp('/no/such/page');
  expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Go to your tip' }).getAttribute('href')).toBe('/');
  expect(document.title).toBe('Page not found — oO');
  expect(server.calls).toHaveLength(0);
});
