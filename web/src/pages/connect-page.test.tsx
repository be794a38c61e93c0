import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LIVE_REGION_DELAY_MS } from '../ui/status-message';
import { statusTexts } from '../test/live-regions';
import { renderApp } from '../test/render-app';
import { failure, fakeServer, ok, todoist } from '../test/fake-server';

const CONNECT = '/integrations/todoist/connect';

function todoistItem() {
  return screen.getByRole('heading', { level: 2, name: 'Todoist' }).closest('li')!;
}

describe('the connect page', () => {
  it('says a connection worked, then drops the message from the address', async () => {
    fakeServer({ 'GET /api/integrations': ok([todoist('syncing')]) });
    renderApp('/connect?connected=todoist');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Connect your apps' }),
    ).toBeTruthy();
    await waitFor(() =>
      expect(statusTexts()).toEqual(['Todoist is connected. Your first tip is on its way.', '']),
    );
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(document.title).toBe('Connect your apps — oO');
  });

  it.each([
    ['access_denied', "You didn't allow oO to read Todoist."],
    ['bad_state', 'That connection attempt expired — try again.'],
    ['provider_down', "Todoist didn't answer — try again in a minute."],
    ['exchange_failed', 'Todoist refused the connection — try again.'],
    ['account_in_use', 'That Todoist account is already connected to another oO account.'],
    ['unavailable', "The connection didn't work — try again."],
    ['toString', "The connection didn't work — try again."],
  ])('explains ?error=%s', async (code, words) => {
    fakeServer({ 'GET /api/integrations': ok([todoist('not_connected')]) });
    renderApp(`/connect?error=${code}`);
    await screen.findByRole('heading', { level: 1, name: 'Connect your apps' });
    await waitFor(() => expect(statusTexts()).toEqual([words, '']));
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/connect'));
  });

  it('puts the outcome into its status region only once the region is in the page', async () => {
    vi.useFakeTimers();
    fakeServer({ 'GET /api/integrations': ok([todoist('syncing')]) });
    renderApp('/connect?connected=todoist');
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('heading', { level: 1, name: 'Connect your apps' })).toBeTruthy();
    // Inserted empty: screen readers often skip what a new live region already holds.
    expect(statusTexts()).toEqual(['', '']);
    await act(() => vi.advanceTimersByTimeAsync(LIVE_REGION_DELAY_MS));
    expect(statusTexts()).toEqual(['Todoist is connected. Your first tip is on its way.', '']);
  });

  it.each([
    ['ok', 'Connected'],
    ['syncing', 'Connected — reading your tasks…'],
    ['needs_reconnect', "Todoist stopped accepting oO's access — reconnect to continue"],
    ['rate_limited', 'Todoist asked us to slow down — tips may be a little behind'],
    ['not_connected', 'Not connected'],
  ] as const)('puts status %s in words', async (status, words) => {
    fakeServer({ 'GET /api/integrations': ok([todoist(status)]) });
    renderApp('/connect');
    await screen.findByRole('heading', { level: 2, name: 'Todoist' });
    expect(within(todoistItem()).getByText(words)).toBeTruthy();
  });

  it('links to the OAuth start (a full page navigation) when not connected', async () => {
    fakeServer({ 'GET /api/integrations': ok([todoist('not_connected')]) });
    renderApp('/connect');
    const link = await screen.findByRole('link', { name: 'Connect Todoist' });
    expect(link.getAttribute('href')).toBe(CONNECT);
    expect(screen.queryByRole('button', { name: 'Disconnect Todoist' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Back to your tip' }).getAttribute('href')).toBe('/');
  });

  it('offers to reconnect when Todoist refused oO', async () => {
    fakeServer({ 'GET /api/integrations': ok([todoist('needs_reconnect')]) });
    renderApp('/connect');
    expect(
      (await screen.findByRole('link', { name: 'Reconnect Todoist' })).getAttribute('href'),
    ).toBe(CONNECT);
  });

  it('disconnects only after "Yes, disconnect"; "Keep it" changes nothing', async () => {
    const server = fakeServer({
      'GET /api/integrations': [ok([todoist('ok')]), ok([todoist('not_connected')])],
      'DELETE /api/integrations/todoist': { status: 204 },
    });
    const { user } = renderApp('/connect');
    await user.click(await screen.findByRole('button', { name: 'Disconnect Todoist' }));
    await user.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(server.callsTo('DELETE /api/integrations/todoist')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Disconnect Todoist' }));
    await user.click(screen.getByRole('button', { name: 'Yes, disconnect' }));
    expect(await screen.findByRole('link', { name: 'Connect Todoist' })).toBeTruthy();
    const [disconnect] = server.callsTo('DELETE /api/integrations/todoist');
    expect(disconnect?.headers['x-oo-csrf']).toBe('csrf-token-1');
  });

  it('says when disconnecting failed, and keeps the connection shown', async () => {
    fakeServer({
      'GET /api/integrations': ok([todoist('ok')]),
      'DELETE /api/integrations/todoist': failure(
        503,
        'unavailable',
        'Integrations is not answering',
      ),
    });
    const { user } = renderApp('/connect');
    await user.click(await screen.findByRole('button', { name: 'Disconnect Todoist' }));
    await user.click(screen.getByRole('button', { name: 'Yes, disconnect' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Integrations is not answering',
    );
    expect(within(todoistItem()).getByText('Connected')).toBeTruthy();
  });
});
