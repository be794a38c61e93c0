import { readFileSync } from 'node:fs';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { statusTexts } from '../test/live-regions';
import { renderApp } from '../test/render-app';
import type { IntegrationSummary } from '../api/oo-api';
import {
  aTip,
  deferred,
  failure,
  fakeServer,
  noContent,
  ok,
  todoist,
  type Reply,
} from '../test/fake-server';

const first = aTip();
const second = aTip({ tipId: '0193a5f0-0000-7000-8000-000000000002', title: 'Water the plants' });
const third = aTip({ tipId: '0193a5f0-0000-7000-8000-000000000003', title: 'Pay rent' });
const feedbackOf = (tipId: string) => `POST /api/tips/${tipId}/feedback`;

/** A local calendar date as the API writes all-day due dates. */
function localDate(daysFromToday: number): string {
  const date = new Date();
  date.setDate(date.getDate() + daysFromToday);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

describe('the tip page', () => {
  it('says "Loading…" only once the wait passes 300 ms', async () => {
    vi.useFakeTimers();
    fakeServer({ 'GET /api/tip': 'hang' });
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(0));
    await act(() => vi.advanceTimersByTimeAsync(299));
    expect(statusTexts()).toEqual(['', '']);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(statusTexts()).toEqual(['', 'Loading…']);
  });

  it('shows the tip: its title as the heading, its priority and when it is due', async () => {
    fakeServer({ 'GET /api/tip': ok(aTip({ priority: 4, due: localDate(0) })) });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
    expect(screen.getByText('P1')).toBeTruthy();
    expect(screen.getByText('Due today')).toBeTruthy();
    expect(document.title).toBe('oO');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Connect' }).getAttribute('href')).toBe(
      '/connect',
    );
    expect(within(nav).getByRole('link', { name: 'Settings' }).getAttribute('href')).toBe(
      '/settings',
    );
  });

  it('shows no priority for a normal task, and "Due tomorrow"', async () => {
    fakeServer({ 'GET /api/tip': ok(aTip({ priority: 1, due: localDate(1) })) });
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
    expect(screen.queryByText(/^P\d$/)).toBeNull();
    expect(screen.getByText('Due tomorrow')).toBeTruthy();
  });

  it('opens the tip a notification points to (?tip=<id>)', async () => {
    const server = fakeServer({ [`GET /api/tips/${second.tipId}`]: ok(second) });
    renderApp(`/?tip=${second.tipId}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Water the plants' })).toBeTruthy();
    expect(server.callsTo('GET /api/tip')).toHaveLength(0);
  });

  it('after reacting to a tip opened by its address, moves on to the current tip at /', async () => {
    const server = fakeServer({
      [`GET /api/tips/${second.tipId}`]: ok(second),
      'GET /api/tip': ok(first),
      [feedbackOf(second.tipId)]: ok({}),
    });
    const { user } = renderApp(`/?tip=${second.tipId}`);
    await user.click(await screen.findByRole('button', { name: 'Done' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe('/');
    expect(server.callsTo('GET /api/tip')).toHaveLength(1);
  });

  describe('when there is no tip (204)', () => {
    /** GET /api/tip answers `tips` (204 unless told), GET /api/integrations lists `integrations`. */
    function renderWithoutTip(integrations: IntegrationSummary[], tips: Reply[] = [noContent]) {
      const server = fakeServer({
        'GET /api/tip': tips,
        'GET /api/integrations': ok(integrations),
      });
      return { server, ...renderApp('/') };
    }

    it('asks to connect Todoist when nothing is connected', async () => {
      renderWithoutTip([todoist('not_connected')]);
      expect(
        await screen.findByRole('heading', {
          level: 1,
          name: 'Connect Todoist to get your first tip',
        }),
      ).toBeTruthy();
      expect(screen.getByRole('link', { name: 'Connect Todoist' }).getAttribute('href')).toBe(
        '/connect',
      );
    });

    it('asks to connect Todoist when the list is empty', async () => {
      renderWithoutTip([]);
      expect(
        await screen.findByRole('heading', { name: 'Connect Todoist to get your first tip' }),
      ).toBeTruthy();
    });

    it('says it is reading the tasks while Todoist syncs, and asks again every 2 s', async () => {
      vi.useFakeTimers();
      const { server } = renderWithoutTip([todoist('syncing')], [noContent, noContent, ok(first)]);
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(screen.getByRole('heading', { level: 1, name: 'Reading your tasks…' })).toBeTruthy();
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(server.callsTo('GET /api/tip')).toHaveLength(2);
      expect(screen.getByRole('heading', { level: 1, name: 'Reading your tasks…' })).toBeTruthy();
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(screen.getByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
    });

    it('says there is nothing to do when Todoist is connected, and checks again on request', async () => {
      const { server, user } = renderWithoutTip([todoist('ok')], [noContent, ok(first)]);
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Nothing to do right now' }),
      ).toBeTruthy();
      expect(screen.getByText('Add a task in Todoist, or come back later.')).toBeTruthy();
      await user.click(screen.getByRole('button', { name: 'Check again' }));
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Call the dentist' }),
      ).toBeTruthy();
      expect(server.callsTo('GET /api/tip')).toHaveLength(2);
    });

    it('asks to reconnect when Todoist refused oO', async () => {
      renderWithoutTip([todoist('needs_reconnect')]);
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Todoist needs you to reconnect' }),
      ).toBeTruthy();
      expect(screen.getByRole('link', { name: 'Reconnect Todoist' }).getAttribute('href')).toBe(
        '/connect',
      );
    });
  });

  it('tries a failing GET three times (0.5 s, 1 s apart), then offers "Try again"', async () => {
    vi.useFakeTimers();
    const server = fakeServer({
      'GET /api/tip': [
        failure(503, 'unavailable', 'The recommender is not answering'),
        failure(503, 'unavailable', 'The recommender is not answering'),
        failure(503, 'unavailable', 'The recommender is not answering'),
        ok(first),
      ],
    });
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(server.callsTo('GET /api/tip')).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(server.callsTo('GET /api/tip')).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(server.callsTo('GET /api/tip')).toHaveLength(3);
    expect(screen.getByRole('heading', { level: 1, name: "Couldn't reach oO" })).toBeTruthy();
    expect(screen.getByText('The recommender is not answering')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
  });

  it('gives up on a request after 10 s and says oO could not be reached', async () => {
    vi.useFakeTimers();
    const server = fakeServer({ 'GET /api/tip': 'hang' });
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(0));
    // Each attempt's 10 s, then each pause before the next.
    for (const ms of [10_000, 500, 10_000, 1000, 10_000]) {
      await act(() => vi.advanceTimersByTimeAsync(ms));
    }
    expect(server.callsTo('GET /api/tip')).toHaveLength(3);
    expect(screen.getByRole('heading', { level: 1, name: "Couldn't reach oO" })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  describe('reactions', () => {
    it('"Done" sends the reaction with the CSRF header, announces it, and shows the next tip', async () => {
      const server = fakeServer({
        'GET /api/tip': [ok(first), ok(second)],
        [feedbackOf(first.tipId)]: ok({
          tipId: first.tipId,
          taskId: 'task-1',
          action: 'done',
          reward: 1,
        }),
      });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Done' }));

      const [reaction] = server.callsTo(feedbackOf(first.tipId));
      expect(reaction?.body).toEqual({ action: 'done' });
      expect(reaction?.headers['x-oo-csrf']).toBe('csrf-token-1');
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Water the plants' }),
      ).toBeTruthy();
      expect(statusTexts()).toEqual(['Done.', '']);
      expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    });

    it('"Dismiss" sends dismiss and moves on', async () => {
      const server = fakeServer({
        'GET /api/tip': [ok(first), ok(second)],
        [feedbackOf(first.tipId)]: ok({}),
      });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Dismiss' }));
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Water the plants' }),
      ).toBeTruthy();
      expect(server.callsTo(feedbackOf(first.tipId))[0]?.body).toEqual({ action: 'dismiss' });
      expect(statusTexts()).toEqual(['Dismissed.', '']);
    });

    it('"Snooze" offers how long, sends the minutes chosen, and Cancel goes back', async () => {
      const server = fakeServer({
        'GET /api/tip': [ok(first), ok(second)],
        [feedbackOf(first.tipId)]: ok({}),
      });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Snooze' }));
      const choice = screen.getByRole('group', { name: 'Snooze for' });
      expect(document.activeElement).toBe(within(choice).getByRole('button', { name: '1 hour' }));
      expect(within(choice).getByRole('button', { name: '3 hours' })).toBeTruthy();
      expect(within(choice).getByRole('button', { name: 'Until tomorrow' })).toBeTruthy();

      await user.click(within(choice).getByRole('button', { name: 'Cancel' }));
      expect(screen.queryByRole('group', { name: 'Snooze for' })).toBeNull();
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Snooze' }));

      await user.click(screen.getByRole('button', { name: 'Snooze' }));
      await user.click(screen.getByRole('button', { name: 'Until tomorrow' }));
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Water the plants' }),
      ).toBeTruthy();
      expect(server.callsTo(feedbackOf(first.tipId))[0]?.body).toEqual({
        action: 'snooze',
        snoozeMinutes: 1440,
      });
      expect(statusTexts()).toEqual(['Snoozed until tomorrow.', '']);
    });

    it('a rating keeps the tip, disables both ratings and says thanks', async () => {
      const server = fakeServer({ 'GET /api/tip': ok(first), [feedbackOf(first.tipId)]: ok({}) });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Not helpful' }));
      expect(server.callsTo(feedbackOf(first.tipId))[0]?.body).toEqual({ action: 'not_helpful' });
      expect(await screen.findByText('Thanks — noted.')).toBeTruthy();
      expect(statusTexts()).toEqual(['Thanks — noted.', '']);
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Helpful' }).disabled).toBe(
        true,
      );
      expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Not helpful' }).disabled).toBe(
        true,
      );
      expect(screen.getByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
      expect(server.callsTo('GET /api/tip')).toHaveLength(1);
    });

    it('clears the last outcome while the next reaction is sent, so "Done." twice is said twice', async () => {
      const held = deferred();
      fakeServer({
        'GET /api/tip': [ok(first), ok(second), ok(first)],
        [feedbackOf(first.tipId)]: ok({}),
        [feedbackOf(second.tipId)]: { ...ok({}), after: held.promise },
      });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Done' }));
      await screen.findByRole('heading', { level: 1, name: 'Water the plants' });
      expect(statusTexts()).toEqual(['Done.', '']);

      await user.click(screen.getByRole('button', { name: 'Done' }));
      expect(statusTexts()).toEqual(['', '']);
      await act(async () => held.resolve());
      await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
      expect(statusTexts()).toEqual(['Done.', '']);
    });

    it('says "Loading…" in a region of its own, leaving "Done." where it is', async () => {
      vi.useFakeTimers();
      const next = deferred();
      fakeServer({
        'GET /api/tip': [ok(first), { ...ok(second), after: next.promise }],
        [feedbackOf(first.tipId)]: ok({}),
      });
      renderApp('/');
      await act(() => vi.advanceTimersByTimeAsync(0));
      fireEvent.click(screen.getByRole('button', { name: 'Done' }));
      await act(() => vi.advanceTimersByTimeAsync(0));
      await act(() => vi.advanceTimersByTimeAsync(300));
      expect(statusTexts()).toEqual(['Done.', 'Loading…']);
      next.resolve();
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(screen.getByRole('heading', { level: 1, name: 'Water the plants' })).toBeTruthy();
      expect(statusTexts()).toEqual(['Done.', '']);
    });

    it('shows where focus went after a rating by keyboard: the ratings, with a visible ring', async () => {
      // The app's own stylesheet, which jsdom applies to computed styles.
      const stylesheet = document.head.appendChild(document.createElement('style'));
      stylesheet.textContent = readFileSync(`${import.meta.dirname}/../styles.css`, 'utf8');
      try {
        fakeServer({ 'GET /api/tip': ok(first), [feedbackOf(first.tipId)]: ok({}) });
        const { user } = renderApp('/');
        const helpful = await screen.findByRole('button', { name: 'Helpful' });
        helpful.focus();
        await user.keyboard('{Enter}');
        await screen.findByText('Thanks — noted.');
        const ratings = screen.getByRole('group', { name: 'Rate this tip' });
        expect(document.activeElement).toBe(ratings);
        // (jsdom leaves custom properties unresolved: the colour is not checked here.)
        const ring = getComputedStyle(ratings);
        expect({ style: ring.outlineStyle, width: ring.outlineWidth }).toEqual({
          style: 'solid',
          width: '3px',
        });
      } finally {
        stylesheet.remove();
      }
    });

    it('forgets a reaction answered after the page was left: no next tip, the address kept', async () => {
      const held = deferred();
      const server = fakeServer({
        [`GET /api/tips/${second.tipId}`]: ok(second),
        'GET /api/tip': ok(first),
        [feedbackOf(second.tipId)]: { ...ok({}), after: held.promise },
      });
      const { user } = renderApp(`/?tip=${second.tipId}`);
      await user.click(await screen.findByRole('button', { name: 'Done' }));
      await user.click(screen.getByRole('link', { name: 'Settings' }));
      await screen.findByRole('heading', { level: 1, name: 'Settings' });

      await act(async () => held.resolve());
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(window.location.pathname + window.location.search).toBe('/settings');
      expect(server.callsTo('GET /api/tip')).toHaveLength(0);
      expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
    });

    it('a 409 on a reaction (already ended) fetches the next tip', async () => {
      const server = fakeServer({
        'GET /api/tip': [ok(first), ok(second)],
        [feedbackOf(first.tipId)]: failure(
          409,
          'conflict',
          'The tip already has its reaction',
          'action',
        ),
      });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Done' }));
      expect(
        await screen.findByRole('heading', { level: 1, name: 'Water the plants' }),
      ).toBeTruthy();
      expect(server.callsTo('GET /api/tip')).toHaveLength(2);
      expect(screen.queryByRole('alert')).toBeNull();
    });

    it('a failed reaction keeps the tip and says why in an alert', async () => {
      const server = fakeServer({
        'GET /api/tip': ok(first),
        [feedbackOf(first.tipId)]: failure(500, 'internal', 'Something broke on our side'),
      });
      const { user } = renderApp('/');
      await user.click(await screen.findByRole('button', { name: 'Done' }));
      expect((await screen.findByRole('alert')).textContent).toContain(
        'Something broke on our side',
      );
      expect(screen.getByRole('heading', { level: 1, name: 'Call the dentist' })).toBeTruthy();
      // A reaction is not idempotent: it is never retried behind the person's back.
      expect(server.callsTo(feedbackOf(first.tipId))).toHaveLength(1);
    });
  });

  describe('keyboard shortcuts', () => {
    it('d, x, h, n, and s then a choice send the matching reactions', async () => {
      const server = fakeServer({
        'GET /api/tip': [ok(first), ok(second), ok(third)],
        [feedbackOf(first.tipId)]: ok({}),
        [feedbackOf(second.tipId)]: ok({}),
        [feedbackOf(third.tipId)]: ok({}),
      });
      const { user } = renderApp('/');
      await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
      await user.keyboard('h');
      expect(await screen.findByText('Thanks — noted.')).toBeTruthy();
      await user.keyboard('d');
      await screen.findByRole('heading', { level: 1, name: 'Water the plants' });
      await user.keyboard('n');
      await screen.findByText('Thanks — noted.');
      await user.keyboard('x');
      await screen.findByRole('heading', { level: 1, name: 'Pay rent' });
      await user.keyboard('s');
      expect(screen.getByRole('group', { name: 'Snooze for' })).toBeTruthy();
      await user.keyboard('{Escape}');
      expect(screen.queryByRole('group', { name: 'Snooze for' })).toBeNull();
      await user.keyboard('s');
      await user.click(screen.getByRole('button', { name: '1 hour' }));
      await screen.findByText('Snoozed for 1 hour.');

      expect(server.callsTo(feedbackOf(first.tipId)).map((call) => call.body)).toEqual([
        { action: 'helpful' },
        { action: 'done' },
      ]);
      expect(server.callsTo(feedbackOf(second.tipId)).map((call) => call.body)).toEqual([
        { action: 'not_helpful' },
        { action: 'dismiss' },
      ]);
      expect(server.callsTo(feedbackOf(third.tipId)).map((call) => call.body)).toEqual([
        { action: 'snooze', snoozeMinutes: 60 },
      ]);
    });

    it('are ignored with a modifier key or while typing in a field', async () => {
      const server = fakeServer({ 'GET /api/tip': ok(first), [feedbackOf(first.tipId)]: ok({}) });
      const { user } = renderApp('/');
      await screen.findByRole('heading', { level: 1, name: 'Call the dentist' });
      await user.keyboard('{Control>}d{/Control}');
      const field = document.body.appendChild(document.createElement('input'));
      field.focus();
      await user.keyboard('d');
      field.remove();
      expect(server.callsTo(feedbackOf(first.tipId))).toHaveLength(0);
    });

    it('"?" opens the list of shortcuts; Escape closes it and gives focus back', async () => {
      fakeServer({ 'GET /api/tip': ok(first) });
      const { user } = renderApp('/');
      const done = await screen.findByRole('button', { name: 'Done' });
      done.focus();
      await user.keyboard('?');
      const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
      expect(within(dialog).getByText('Dismiss')).toBeTruthy();
      expect(dialog.contains(document.activeElement)).toBe(true);
      await user.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(document.activeElement).toBe(done);
    });
  });

  it('"Why this tip?" shows and hides the reasons (also with w)', async () => {
    fakeServer({ 'GET /api/tip': ok(first) });
    const { user } = renderApp('/');
    const toggle = await screen.findByRole('button', { name: 'Why this tip?' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('region', { name: 'Why this tip' })).toBeNull();

    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const why = screen.getByRole('region', { name: 'Why this tip' });
    expect(within(why).getByText('You tend to finish urgent tasks in the morning.')).toBeTruthy();
    expect(
      within(why)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['urgent', 'overdue']);

    await user.keyboard('w');
    expect(screen.queryByRole('region', { name: 'Why this tip' })).toBeNull();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  describe('swipes on touch', () => {
    function swipe(element: Element, dx: number, pointerType = 'touch') {
      const at = { pointerId: 7, isPrimary: true, pointerType, clientY: 300 };
      fireEvent.pointerDown(element, { ...at, clientX: 150 });
      fireEvent.pointerMove(element, { ...at, clientX: 150 + dx / 2 });
      fireEvent.pointerMove(element, { ...at, clientX: 150 + dx });
      fireEvent.pointerUp(element, { ...at, clientX: 150 + dx });
    }

    /** The card whose title is `title`, once it shows. */
    const cardOf = async (title: string) =>
      (await screen.findByRole('heading', { name: title })).closest('article')!;

    it('right past 80 px is done, left past 80 px is dismiss', async () => {
      const server = fakeServer({
        'GET /api/tip': [ok(first), ok(second), ok(third)],
        [feedbackOf(first.tipId)]: ok({}),
        [feedbackOf(second.tipId)]: ok({}),
      });
      renderApp('/');
      swipe(await cardOf('Call the dentist'), 90);
      swipe(await cardOf('Water the plants'), -85);
      await screen.findByRole('heading', { name: 'Pay rent' });
      expect(server.callsTo(feedbackOf(first.tipId))[0]?.body).toEqual({ action: 'done' });
      expect(server.callsTo(feedbackOf(second.tipId))[0]?.body).toEqual({ action: 'dismiss' });
    });

    it('a short swipe, or a mouse drag, does nothing', async () => {
      const server = fakeServer({ 'GET /api/tip': ok(first), [feedbackOf(first.tipId)]: ok({}) });
      renderApp('/');
      const card = await cardOf('Call the dentist');
      swipe(card, 60);
      swipe(card, 120, 'mouse');
      expect(server.callsTo(feedbackOf(first.tipId))).toHaveLength(0);
    });
  });
});
