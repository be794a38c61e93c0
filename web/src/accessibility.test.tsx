import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { fakeBrowserPush } from './test/fake-push';
import { renderApp } from './test/render-app';
import {
  aProfile,
  aTip,
  fakeServer,
  noContent,
  ok,
  todoist,
  VAPID_KEY_BYTES,
} from './test/fake-server';

/**
 * axe-core's WCAG A/AA and best-practice rules over each page as jsdom renders it. Colour
 * contrast needs real layout, so it is left to the Chromium tests; everything structural
 * (names, roles, landmarks, headings, ARIA) is checked here on every run.
 */
async function violations(): Promise<string[]> {
  const result = await axe.run(document, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map(
    (violation) =>
      `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`,
  );
}

describe('every page passes axe', () => {
  it('sign in', async () => {
    fakeServer({ 'GET /auth/methods': ok({ google: true, devLogin: true }) });
    renderApp('/signin?deleted=1');
    await screen.findByRole('button', { name: 'Sign in (development)' });
    expect(await violations()).toEqual([]);
  });

  it('consent', async () => {
    fakeServer({ 'GET /api/me': ok(aProfile({ consent: null })) });
    renderApp('/');
    await screen.findByRole('button', { name: 'I agree' });
    expect(await violations()).toEqual([]);
  });

  it('a tip, with its reasons, the snooze choice and the shortcuts dialog', async () => {
    fakeServer({ 'GET /api/tip': ok(aTip({ due: '2026-01-05' })) });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Why this tip?' }));
    expect(await violations()).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Snooze' }));
    expect(await violations()).toEqual([]);
    await user.keyboard('{Escape}?');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    expect(await violations()).toEqual([]);
  });

  it('a tip with "Notify me", and after it', async () => {
    fakeServer({
      'GET /api/tip': ok(aTip()),
      'PATCH /api/me': ok(aProfile({ push: { enabled: true } })),
    });
    fakeBrowserPush();
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Notify me' }));
    await screen.findByText('Tips will come to this device.');
    expect(await violations()).toEqual([]);
  });

  it('the empty tip page', async () => {
    fakeServer({ 'GET /api/tip': noContent, 'GET /api/integrations': ok([todoist('ok')]) });
    renderApp('/');
    await screen.findByRole('button', { name: 'Check again' });
    expect(await violations()).toEqual([]);
  });

  it('connect, with the disconnect confirmation', async () => {
    fakeServer({ 'GET /api/integrations': ok([todoist('ok')]) });
    const { user } = renderApp('/connect?connected=todoist');
    await user.click(await screen.findByRole('button', { name: 'Disconnect Todoist' }));
    expect(await violations()).toEqual([]);
  });

  it('settings, with the delete dialog', async () => {
    fakeServer({});
    const { user } = renderApp('/settings');
    await screen.findByRole('heading', { level: 1, name: 'Settings' });
    expect(await violations()).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Delete account' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete your account?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(await violations()).toEqual([]);
  });

  it('settings, with the notifications switch on', async () => {
    fakeServer({ 'GET /api/me': ok(aProfile({ push: { enabled: true } })) });
    fakeBrowserPush({ permission: 'granted', subscribedWith: VAPID_KEY_BYTES });
    renderApp('/settings');
    const toggle = await screen.findByRole('switch', { name: 'Send tips to this device' });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(await violations()).toEqual([]);
  });

  it('legal and not found', async () => {
    fakeServer({
      'GET /api/legal/terms': ok({
        document: 'terms',
        version: '1',
        markdown:
          '# Terms of Service\n\nVersion 1.\n\n## Use\n\n- your own tasks\n- [privacy](/legal/privacy)',
      }),
    });
    const { unmount } = renderApp('/legal/terms');
    await screen.findByText('your own tasks');
    expect(await violations()).toEqual([]);
    unmount();
    renderApp('/no/such/page');
    expect(await violations()).toEqual([]);
  });
});
