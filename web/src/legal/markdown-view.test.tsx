import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render-app';
import { fakeServer, ok } from '../test/fake-server';
import { parseMarkdown } from './markdown';
import { MarkdownView } from './markdown-view';

const show = (markdown: string) => render(<MarkdownView blocks={parseMarkdown(markdown)} />);

describe('the markdown renderer', () => {
  it('turns headings, paragraphs and lists into real elements', () => {
    const { container } = show(
      [
        '# Privacy Notice',
        '',
        'What we keep: your name',
        'and email.',
        '',
        '## Your rights',
        '',
        '- see your data',
        '- delete it',
        '',
        '1. first',
        '2. second',
        '',
        '# Another title',
      ].join('\n'),
    );
    // The page gives the h1; the text's own opening title is not repeated, and a later
    // level-1 heading must not make a second h1.
    expect(screen.queryByRole('heading', { name: 'Privacy Notice' })).toBeNull();
    expect(screen.getByRole('heading', { level: 2, name: 'Your rights' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Another title' })).toBeTruthy();
    expect(screen.getByText('What we keep: your name and email.').tagName).toBe('P');
    const [bullets, numbers] = screen.getAllByRole('list');
    expect(bullets?.tagName).toBe('UL');
    expect(
      within(bullets!)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['see your data', 'delete it']);
    expect(numbers?.tagName).toBe('OL');
    expect(container.querySelectorAll('h1')).toHaveLength(0);
  });

  it('renders links, emphasis and strong; app paths stay in the app', () => {
    show('Read the [terms](/legal/terms) or [mail us](mailto:hi@oo.dev), *now* and **for good**.');
    expect(screen.getByRole('link', { name: 'terms' }).getAttribute('href')).toBe('/legal/terms');
    expect(screen.getByRole('link', { name: 'mail us' }).getAttribute('href')).toBe(
      'mailto:hi@oo.dev',
    );
    expect(screen.getByText('now').tagName).toBe('EM');
    expect(screen.getByText('for good').tagName).toBe('STRONG');
  });

  it.each([
    ['/\\evil.example'],
    ['/\\/evil.example'],
    ['//evil.example'],
    ['/legal\\..\\..\\evil'],
    ['data:text/html,hi'],
    ['vbscript:msgbox'],
    ['ftp://files.example/'],
  ])('keeps a link to %s as text: it could leave the site or run something', (href) => {
    const { container } = show(`See [this](${href}).`);
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.textContent).toMatch(/^See \[this\]\(.+\)\.$/);
  });

  it('opens web addresses as plain external links', () => {
    show('See [our status page](https://status.oo.example/now).');
    const link = screen.getByRole('link', { name: 'our status page' });
    expect(link.getAttribute('href')).toBe('https://status.oo.example/now');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    // Not an in-app link: a click is the browser's own navigation, not a pushState.
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
  });

  it('never runs or parses markup: HTML stays text, script links stay text', () => {
    const { container } = show(
      '<img src=x onerror=alert(1)> and [click](javascript:alert(1)) snake_case_name',
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.queryByRole('link')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('[click](javascript:alert(1))');
    expect(container.textContent).toContain('snake_case_name');
  });
});

describe('the legal pages', () => {
  it('show the current text from the server, with a way back', async () => {
    const server = fakeServer({
      'GET /api/legal/privacy': ok({
        document: 'privacy',
        version: '2026-11-01',
        markdown: '# Privacy Notice\n\nWe never sell your data.',
      }),
    });
    renderApp('/legal/privacy');
    expect(await screen.findByText('We never sell your data.')).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 1 }).map((h) => h.textContent)).toEqual([
      'Privacy Policy',
    ]);
    expect(screen.getByRole('link', { name: 'Back' })).toBeTruthy();
    expect(document.title).toBe('Privacy Policy — oO');
    // Public: no session is asked for.
    expect(server.callsTo('GET /api/session')).toHaveLength(0);
  });
});
