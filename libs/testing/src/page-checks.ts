import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  help: string;
  nodes: string[];
}

/**
 * axe-core's findings on the page as it is now (WCAG 2.x A and AA and best practices). The
 * engine is evaluated through the DevTools protocol, not added as a script tag: the app's CSP
 * rightly refuses inline scripts.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  // Page-side code is a string: this library is compiled for Node, without the DOM's types.
  return page.evaluate<AxeViolation[]>(`
    axe.run(document).then((result) =>
      result.violations.map((violation) => ({
        id: violation.id,
        help: violation.help,
        nodes: violation.nodes.map((node) => JSON.stringify(node.target)),
      })),
    )
  `);
}

export interface FocusStop {
  /** Role-ish description: tag, accessible text. */
  element: string;
  /** The focus indicator is visible: an outline or a box shadow that is not none. */
  visible: boolean;
}

/** The focused element and whether its focus indicator shows (an outline or a box shadow). */
const FOCUSED_ELEMENT = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { element: 'body', visible: false };
  const style = getComputedStyle(element);
  const ring =
    (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
    style.boxShadow !== 'none';
  const text = (element.getAttribute('aria-label') ?? element.textContent ?? '').trim();
  return { element: element.tagName.toLowerCase() + ':' + text, visible: ring };
})()`;

/** Presses Tab `count` times and records what took focus and whether the focus ring shows. */
export async function tabThrough(page: Page, count: number): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate<FocusStop>(FOCUSED_ELEMENT));
  }
  return stops;
}

export interface PageProblems {
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Console errors: refused content (CSP), failed scripts. */
  console: string[];
  /** Responses ≥ 400 for anything but the API and sign-in routes (a missing asset, icon…). */
  failedFiles: string[];
}

/** What went wrong in the page while watching: none of it may happen in a healthy app. */
export function watchPageProblems(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], console: [], failedFiles: [] };
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    // A 401/404/409 the app asked for and handles is also printed as "Failed to load resource";
    // those are judged by URL below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.console.push(message.text());
    }
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    const api = ['/api/', '/auth/', '/integrations/'].some((prefix) => pathname.startsWith(prefix));
    if (response.status() >= 400 && !api) {
      problems.failedFiles.push(`${response.status()} ${pathname}`);
    }
  });
  return problems;
}
