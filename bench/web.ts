/**
 * The web app as a browser meets it, in two parts.
 *
 * Bundle: what the first visit must download before the app can run. The initial JavaScript is
 * what web/dist/index.html names (its module script and its modulepreload links; lazy chunks
 * load later and do not count), measured raw, gzip level 9 and brotli quality 11 (what the
 * gateway sends), against the budget "initial JS ≤ 90 KB gzip".
 *
 * Time to a visible tip: the whole system (seven services as processes, the local Todoist), a
 * user signed in with the dev form, consented and connected, and Chromium opening `/` again and
 * again. Each sample is measured inside the page: `performance.now()` (ms since the navigation
 * started) in the first animation frame in which the `<h1>` holds the tip's title and is
 * visible. A static page with an `<h1>` in its markup, served by a bare node:http server, is
 * measured the same way in the same run: the floor any navigation costs here. Target: the tip
 * visible ≤ 300 ms after navigation start on this machine.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildWebApp, WEB_DIST } from '@oo/devkit';
import type { TaskInput } from '@oo/local-todoist';
import { startWholeSystem, type WholeSystem } from '@oo/testing';
import { launchChromium, VIEWPORTS } from '@oo/testing/browser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { positiveInt, progress, type BenchReport, type Cell, type Table } from './harness.js';
import { STATIC_HEADING, startStaticPage } from './support/static-page.js';

const RUNS = positiveInt(process.env['BENCH_WEB_RUNS'], 20);
/** Navigations of each page before the measured ones: the service worker takes control. */
const WARM_UP_RUNS = 3;
const BUDGET_GZIP_KB = 90;
/** KB here is 1,024 bytes (as browsers' devtools count). */
const KB = 1024;
const TARGET_MS = 300;

/** Five open tasks, so the recommender has a real choice; titles are what the h1 can show. */
const TASKS: TaskInput[] = [
  { content: 'Call the bank about the card', priority: 4, dueDate: '2026-01-05' },
  { content: 'Water the plants', priority: 2 },
  { content: 'Send the invoice to Lina', priority: 3 },
  { content: 'Book the dentist', priority: 1 },
  { content: 'Renew the library books', priority: 2 },
];

/** Benchmark entry. */
export async function webBench(): Promise<BenchReport> {
  // Other work on the box moves browser timings a lot: the load average says if there was any.
  const loadBefore = loadavg()[0]!;
  const bundle = await measureBundle();
  const timing = await measureTimeToHeading();
  const load = `load average (1 min) ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end.`;
  return {
    tables: [bundle.table, ...timing.tables],
    notes: [...bundle.notes, ...timing.notes, load],
  };
}

// ── Bundle ───────────────────────────────────────────────────────────────────────────────────

type LoadedAs = 'module script' | 'modulepreload' | 'stylesheet';

interface AssetSize {
  path: string;
  /** Empty on a total row. */
  loadedAs: LoadedAs | '';
  raw: number;
  gzip: number;
  brotli: number;
}

async function measureBundle(): Promise<{ table: Table; notes: string[] }> {
  progress('building web/dist…');
  const build = await buildWebApp({ force: true });
  const html = await readFile(join(WEB_DIST, 'index.html'), 'utf8');
  const assets = await Promise.all(initialAssets(html).map(sizeOf));
  const js = assets.filter((asset) => asset.loadedAs !== 'stylesheet');
  const css = assets.filter((asset) => asset.loadedAs === 'stylesheet');
  const jsTotal = total('initial JS, total', js);
  const gzipKb = jsTotal.gzip / KB;
  const verdict =
    gzipKb <= BUDGET_GZIP_KB
      ? `within (${gzipKb.toFixed(1)} of ${BUDGET_GZIP_KB} KB gzip)`
      : `OVER (${gzipKb.toFixed(1)} of ${BUDGET_GZIP_KB} KB gzip)`;
  const row = (asset: AssetSize, budget = ''): Cell[] => [
    asset.path,
    asset.loadedAs,
    asset.raw,
    asset.gzip,
    asset.brotli,
    budget,
  ];
  return {
    table: {
      title: `Initial download of web/dist (bytes; budget: initial JS ≤ ${BUDGET_GZIP_KB} KB gzip)`,
      columns: ['file', 'loaded as', 'raw', 'gzip -9', 'brotli q11', 'budget'],
      rows: [
        ...js.map((asset) => row(asset)),
        row(jsTotal, verdict),
        ...css.map((asset) => row(asset)),
        row(total('JS + CSS, total', assets)),
      ],
    },
    notes: [
      `web/dist built in ${Math.round(build.ms)} ms; KB = 1,024 bytes. Lazy chunks (dynamic import()) are not in index.html and not counted.`,
    ],
  };
}

/**
 * The files index.html makes the browser fetch before the app runs: module scripts,
 * modulepreload links and stylesheets, in document order.
 */
function initialAssets(html: string): Array<{ path: string; loadedAs: LoadedAs }> {
  const found: Array<{ path: string; loadedAs: LoadedAs }> = [];
  for (const { tag, attributes } of tagsIn(html)) {
    const rel = (attributes['rel'] ?? '').split(/\s+/);
    if (tag === 'script' && attributes['type'] === 'module' && attributes['src']) {
      found.push({ path: attributes['src'], loadedAs: 'module script' });
    } else if (tag === 'link' && rel.includes('modulepreload') && attributes['href']) {
      found.push({ path: attributes['href'], loadedAs: 'modulepreload' });
    } else if (tag === 'link' && rel.includes('stylesheet') && attributes['href']) {
      found.push({ path: attributes['href'], loadedAs: 'stylesheet' });
    }
  }
  return found;
}

/** Every `<script …>` and `<link …>` start tag with its attributes (Vite writes plain HTML). */
function tagsIn(html: string): Array<{ tag: string; attributes: Record<string, string> }> {
  const tags: Array<{ tag: string; attributes: Record<string, string> }> = [];
  for (const match of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attributes: Record<string, string> = {};
    for (const [, name, double, single, bare] of match[2]!.matchAll(
      /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g,
    )) {
      attributes[name!.toLowerCase()] = double ?? single ?? bare ?? '';
    }
    tags.push({ tag: match[1]!.toLowerCase(), attributes });
  }
  return tags;
}

async function sizeOf(asset: { path: string; loadedAs: LoadedAs }): Promise<AssetSize> {
  // Paths in index.html are absolute from the site root, which is web/dist.
  const body = await readFile(join(WEB_DIST, new URL(asset.path, 'http://x/').pathname));
  return {
    ...asset,
    raw: body.length,
    // The same settings as the gateway's precompressed copies (web-app-files.ts).
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function total(path: string, assets: AssetSize[]): AssetSize {
  const sum = (key: 'raw' | 'gzip' | 'brotli'): number =>
    assets.reduce((acc, asset) => acc + asset[key], 0);
  return { path, loadedAs: '', raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
}

// ── Time to a visible heading ────────────────────────────────────────────────────────────────

// What the page-side functions below touch in the browser. Declared here, for this module only,
// rather than with the DOM library, which would retype `fetch` and friends for the whole
// Node program this file is compiled in.
interface PageEntry {
  name: string;
  startTime: number;
  responseEnd: number;
  initiatorType?: string;
}
declare const document: {
  querySelector(selector: string): {
    textContent: string | null;
    checkVisibility(options: object): boolean;
  } | null;
};
declare const window: unknown;
declare const location: { origin: string };
declare const navigator: { serviceWorker?: { ready: Promise<unknown>; controller: unknown } };
declare const performance: { now(): number; getEntriesByType(type: string): PageEntry[] };
declare function requestAnimationFrame(callback: () => void): number;

/** What the in-page watcher leaves on `window` for the bench to read. */
interface Watched {
  ooHeadingVisibleAt?: number;
}

/** One navigation, as the page itself saw it (all ms since navigation start). */
interface Sample {
  visibleAt: number;
  /** The HTML's last byte arrived. */
  htmlAt: number;
  /** Same-origin fetches (the API) the page made before its heading showed: path, start, end. */
  fetches: Array<{ path: string; start: number; end: number }>;
}

async function measureTimeToHeading(): Promise<{ tables: Table[]; notes: string[] }> {
  progress('starting the whole system, Chromium and the static page…');
  const [system, browser, staticPage] = await Promise.all([
    startWholeSystem('bench_web'),
    launchChromium(),
    startStaticPage(),
  ]);
  try {
    const titles = TASKS.map((task) => task.content);
    const headings = [...titles, STATIC_HEADING];
    const tipUrl = `${system.base}/`;
    const context = await newContext(browser, headings);
    const app = await context.newPage();
    await signInConsentAndConnect(app, system);
    progress('signed in and connected; waiting for the first tip…');
    await timeToHeading(app, tipUrl, 60_000);
    const controlled = await warmUpServiceWorker(app, tipUrl);

    // Cold: a fresh context with the same cookies, so no HTTP cache, no service worker, no
    // open connections; the services are warm.
    progress('cold navigations (fresh browser contexts)…');
    const cold = {
      tip: await inFreshContext(browser, context, headings, tipUrl),
      static: await inFreshContext(browser, context, headings, staticPage.url),
    };

    const floor = await context.newPage();
    for (let i = 0; i < WARM_UP_RUNS; i += 1) await timeToHeading(floor, staticPage.url);
    progress(`${RUNS} warm navigations of each page…`);
    const warm: Record<'tip' | 'static', Sample[]> = { tip: [], static: [] };
    for (let run = 0; run < RUNS; run += 1) {
      // Interleaved, so whatever else the machine does falls on both alike.
      warm.tip.push(await timeToHeading(app, tipUrl));
      warm.static.push(await timeToHeading(floor, staticPage.url));
    }
    await context.close();
    return {
      tables: [comparisonTable(cold, warm), whereTheTimeGoes(warm.tip)],
      notes: [
        `Chromium ${browser.version()} headless, ${VIEWPORTS.phone.width}×${VIEWPORTS.phone.height}; ${RUNS} warm navigations each (BENCH_WEB_RUNS), after ${WARM_UP_RUNS} unmeasured ones; the service worker ${controlled ? 'controlled' : 'did NOT control'} the warm tip page.`,
        `warm tip ms: ${warm.tip.map((sample) => Math.round(sample.visibleAt)).join(', ')}`,
        `warm static ms: ${warm.static.map((sample) => Math.round(sample.visibleAt)).join(', ')}`,
      ],
    };
  } finally {
    await browser.close();
    await staticPage.close();
    await system.stop();
  }
}

/**
 * A context whose every document records the moment its `<h1>` first shows one of `headings`.
 * The watcher is added through the DevTools protocol (not a script tag: the app's CSP refuses
 * inline scripts) and runs from the document's start, so the figure does not depend on when
 * Playwright gets round to asking.
 */
async function newContext(
  browser: Browser,
  headings: string[],
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: VIEWPORTS.phone,
    timezoneId: 'Europe/Lisbon',
    locale: 'en-GB',
    ...(storageState ? { storageState } : {}),
  });
  context.setDefaultTimeout(20_000);
  await context.addInitScript(recordHeadingVisible, headings);
  return context;
}

/**
 * Runs in the page. Animation-frame callbacks run just before the browser paints, and not while
 * a stylesheet still blocks rendering, so the first frame in which the heading is there, has the
 * text and is visible (not `visibility: hidden`, not transparent) is when it reaches the screen.
 */
function recordHeadingVisible(headings: string[]): void {
  const check = (): void => {
    const heading = document.querySelector('h1');
    const text = heading?.textContent?.trim() ?? '';
    if (
      heading &&
      headings.includes(text) &&
      heading.checkVisibility({ opacityProperty: true, visibilityProperty: true })
    ) {
      (window as Watched).ooHeadingVisibleAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Navigates and returns what the page recorded once its heading showed. */
async function timeToHeading(page: Page, url: string, timeoutMs = 20_000): Promise<Sample> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as Watched).ooHeadingVisibleAt !== undefined, null, {
    timeout: timeoutMs,
  });
  return page.evaluate(() => {
    const visibleAt = (window as Watched).ooHeadingVisibleAt!;
    const [navigation] = performance.getEntriesByType('navigation');
    const fetches = performance
      .getEntriesByType('resource')
      .filter(
        (entry) =>
          entry.initiatorType === 'fetch' &&
          new URL(entry.name).origin === location.origin &&
          entry.startTime < visibleAt,
      )
      .map((entry) => ({
        path: new URL(entry.name).pathname,
        start: entry.startTime,
        end: entry.responseEnd,
      }));
    return { visibleAt, htmlAt: navigation?.responseEnd ?? Number.NaN, fetches };
  });
}

/**
 * Through the app as a new user goes: the dev sign-in form, consent, then the local Todoist's
 * "Allow" page for a Todoist user with open tasks (as web/test/app.int-spec.ts does).
 */
async function signInConsentAndConnect(page: Page, system: WholeSystem): Promise<void> {
  const { control } = system.todoist;
  const todoistUser = await control.addUser();
  await control.addTasks(todoistUser.id, TASKS, { notify: false });
  await control.signIn(todoistUser.id);

  await page.goto(`${system.base}/`);
  await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
  await page.getByRole('textbox', { name: 'Name' }).fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Sign in (development)' }).click();
  await page.getByRole('heading', { name: 'Before we start' }).waitFor();
  await page.getByRole('button', { name: 'I agree' }).click();
  await page.getByRole('heading', { name: 'Connect Todoist to get your first tip' }).waitFor();
  await page.getByRole('link', { name: 'Connect Todoist' }).click();
  await page.getByRole('heading', { level: 1, name: 'Connect your apps' }).waitFor();
  await page.getByRole('link', { name: 'Connect Todoist' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByText('Todoist is connected. Your first tip is on its way.').waitFor();
}

/**
 * The app registers its service worker after the first load; it precaches the shell and takes
 * control from the next navigation on. Returns whether it controls the page after the warm-up.
 */
async function warmUpServiceWorker(page: Page, tipUrl: string): Promise<boolean> {
  await page.evaluate(async () => {
    await navigator.serviceWorker?.ready;
  });
  for (let i = 0; i < WARM_UP_RUNS; i += 1) await timeToHeading(page, tipUrl);
  return page.evaluate(() => navigator.serviceWorker?.controller !== null);
}

async function inFreshContext(
  browser: Browser,
  signedIn: BrowserContext,
  headings: string[],
  url: string,
): Promise<Sample> {
  const context = await newContext(browser, headings, await signedIn.storageState());
  try {
    return await timeToHeading(await context.newPage(), url);
  } finally {
    await context.close();
  }
}

// ── Tables ───────────────────────────────────────────────────────────────────────────────────

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
const against = (value: number): string =>
  value <= TARGET_MS ? `✓ ≤ ${TARGET_MS}` : `✗ > ${TARGET_MS}`;

function comparisonTable(
  cold: Record<'tip' | 'static', Sample>,
  warm: Record<'tip' | 'static', Sample[]>,
): Table {
  const row = (measure: string, tip: number, floor: number): Cell[] => [
    measure,
    ms(floor),
    ms(tip),
    ms(tip - floor),
    against(tip),
  ];
  const at = (p: number) => (name: 'tip' | 'static') =>
    percentile(
      warm[name].map((sample) => sample.visibleAt),
      p,
    );
  const stat = (label: string, pick: (name: 'tip' | 'static') => number): Cell[] =>
    row(label, pick('tip'), pick('static'));
  return {
    title: `Navigation start → heading visible, ms (target: tip ≤ ${TARGET_MS} ms)`,
    columns: ['navigation', 'static page', 'oO tip', 'difference', 'tip vs target'],
    rows: [
      row('first, cold cache (fresh context)', cold.tip.visibleAt, cold.static.visibleAt),
      stat(`warm p50 (n = ${RUNS})`, at(0.5)),
      stat('warm p90', at(0.9)),
      stat('warm max', at(1)),
    ],
  };
}

/**
 * Where the app's warm navigation spends its time: medians of when the HTML arrived, of each
 * same-origin fetch the page made before the heading showed (in order of its median start), and
 * of the heading itself.
 */
function whereTheTimeGoes(samples: Sample[]): Table {
  const median = (values: number[]): number => percentile(values, 0.5);
  const calls = new Map<string, { start: number[]; end: number[] }>();
  for (const fetch of samples.flatMap((sample) => sample.fetches)) {
    const times = calls.get(fetch.path) ?? { start: [], end: [] };
    times.start.push(fetch.start);
    times.end.push(fetch.end);
    calls.set(fetch.path, times);
  }
  const byStart = [...calls].sort(([, a], [, b]) => median(a.start) - median(b.start));
  return {
    title: 'Warm oO tip navigation, where the time goes (ms since navigation start, medians)',
    columns: ['step', 'starts', 'ends', 'in runs'],
    rows: [
      ['HTML received', 0, ms(median(samples.map((sample) => sample.htmlAt))), samples.length],
      ...byStart.map(([path, times]): Cell[] => [
        `fetch ${path}`,
        ms(median(times.start)),
        ms(median(times.end)),
        times.start.length,
      ]),
      ['h1 visible', '', ms(median(samples.map((sample) => sample.visibleAt))), samples.length],
    ],
  };
}
