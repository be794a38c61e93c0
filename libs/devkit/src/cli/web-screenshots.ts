// `npm run web:screenshots`: regenerates web/docs/screenshots/<page>-<phone|desktop>.png, the
// pictures in web/README.md. It starts the whole system (the built app served by the gateway,
// the seven services, a local Todoist and a local Google), walks one user, "Ada Lovelace",
// through the app in Debian's Chromium and photographs each page at both viewports. The data is
// fixed (the user, the task titles, due dates relative to today), so a regenerated picture
// changes only when the app's look does.
import { mkdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { TaskInput } from '@oo/local-todoist';
import { startWholeSystem, type WholeSystem } from '@oo/testing';
import { launchChromium, VIEWPORTS } from '@oo/testing/browser';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../ts-process.js';

const OUT_DIR = join(REPO_ROOT, 'web/docs/screenshots');
const TIME_ZONE = 'Europe/Lisbon';
const USER = { email: 'ada@example.com', name: 'Ada Lovelace' };

/** Today in the browser's zone: "due today" reads the same whenever the pictures are taken. */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());

/** The most urgent task comes first: it is the one the first tip almost always shows. */
const TASKS: TaskInput[] = [
  { content: 'Call the bank about the card', priority: 4, dueDate: today },
  { content: 'Send the invoice to Lina', priority: 3 },
  { content: 'Water the plants', priority: 2 },
  { content: 'Book the dentist', priority: 1 },
  { content: 'Renew the library books', priority: 1 },
];

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });
  log('starting the whole system and Chromium…');
  const [system, browser] = await Promise.all([
    startWholeSystem('web_screenshots'),
    launchChromium(),
  ]);
  try {
    const context = await browser.newContext({
      viewport: VIEWPORTS.phone,
      deviceScaleFactor: 1,
      timezoneId: TIME_ZONE,
      locale: 'en-GB',
      // No transition caught half-way in a picture.
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(20_000);
    await warmUpTheTipPath(context, system);
    await walkThroughTheApp(await context.newPage(), system);
    await context.close();
  } finally {
    await browser.close();
    await system.stop();
  }
}

/** Every page in the order a new user meets it; each `shoot` takes both viewports. */
async function walkThroughTheApp(page: Page, system: WholeSystem): Promise<void> {
  const { base } = system;
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  await page.goto(`${base}/signin`);
  await heading('oO').waitFor();
  await shoot(page, 'signin');

  await signIn(page, USER);
  await shoot(page, 'consent');

  await page.getByRole('button', { name: 'I agree' }).click();
  await page.getByRole('heading', { name: 'Connect Todoist to get your first tip' }).waitFor();
  await shoot(page, 'tip-empty');

  await page.goto(`${base}/legal/terms`);
  await heading('Terms of Service').waitFor();
  await shoot(page, 'legal-terms');

  await connectTodoist(page, system);
  await page.goto(`${base}/connect`);
  await heading('Connect your apps').waitFor();
  await page.getByRole('button', { name: 'Disconnect Todoist' }).waitFor();
  await shoot(page, 'connect');

  const title = await openTip(page, base);
  log(`  the tip shows "${title}"`);
  await shoot(page, 'tip');
  await page.getByRole('button', { name: 'Why this tip?' }).click();
  await page.getByRole('region', { name: 'Why this tip' }).waitFor();
  await shoot(page, 'tip-why');
  await page.getByRole('button', { name: 'Why this tip?' }).click();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await shoot(page, 'shortcuts');
  await page.keyboard.press('Escape');

  await page.goto(`${base}/settings`);
  await heading('Settings').waitFor();
  await page.getByText(USER.email).waitFor();
  await shoot(page, 'settings');
  await page.getByRole('button', { name: 'Delete account' }).click();
  await page.getByRole('alertdialog', { name: 'Delete your account?' }).waitFor();
  await shoot(page, 'delete-dialog');
  await page.getByRole('button', { name: 'Cancel' }).click();
}

/**
 * A first tip on a system that has just started can come from the random fallback (the
 * scorer's first answer is slower than the recommender waits for), and its "why" would say so.
 * A throwaway user goes through to a tip first, in its own browsing session, so Ada's tip is
 * the model's pick with the model's reasons.
 */
async function warmUpTheTipPath(context: BrowserContext, system: WholeSystem): Promise<void> {
  const warmUp = await context.browser()!.newContext({ timezoneId: TIME_ZONE, locale: 'en-GB' });
  try {
    const page = await warmUp.newPage();
    await page.goto(`${system.base}/signin`);
    await signIn(page, { email: 'warm-up@example.com', name: 'Warm Up' });
    await page.getByRole('button', { name: 'I agree' }).click();
    await page.getByRole('heading', { name: 'Connect Todoist to get your first tip' }).waitFor();
    await connectTodoist(page, system);
    await openTip(page, system.base);
  } finally {
    await warmUp.close();
  }
}

async function signIn(page: Page, user: { email: string; name: string }): Promise<void> {
  await page.getByRole('textbox', { name: 'Email' }).fill(user.email);
  await page.getByRole('textbox', { name: 'Name' }).fill(user.name);
  await page.getByRole('button', { name: 'Sign in (development)' }).click();
  await page.getByRole('heading', { name: 'Before we start' }).waitFor();
}

/**
 * The OAuth round trip through the local Todoist's consent page, for a Todoist user with the
 * fixed tasks, then waits until oO has read them (status "ok"), so the next pages are steady.
 */
async function connectTodoist(page: Page, system: WholeSystem): Promise<void> {
  const { control } = system.todoist;
  const todoistUser = await control.addUser();
  await control.addTasks(todoistUser.id, TASKS, { notify: false });
  await control.signIn(todoistUser.id);
  await page.goto(`${system.base}/connect`);
  await page.getByRole('link', { name: 'Connect Todoist' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByText('Todoist is connected. Your first tip is on its way.').waitFor();
  await until(async () => {
    const response = await page.request.get(`${system.base}/api/integrations`);
    if (!response.ok()) return false;
    const summaries = (await response.json()) as Array<{ provider: string; status: string }>;
    return summaries.some(({ provider, status }) => provider === 'todoist' && status === 'ok');
  }, 'Todoist to be read');
}

/** Opens the tip page and returns the title the tip shows (one of the fixed tasks). */
async function openTip(page: Page, base: string): Promise<string> {
  await page.goto(`${base}/`);
  const titles = TASKS.map((task) => task.content);
  const h1 = page.getByRole('heading', { level: 1 });
  let title = '';
  await until(async () => {
    title = ((await h1.textContent().catch(() => null)) ?? '').trim();
    return titles.includes(title);
  }, 'a tip');
  return title;
}

/** Polls `condition` every 250 ms for up to 30 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The page as it is now, at the phone and at the desktop size (viewport only, 1 px per px). */
async function shoot(page: Page, name: string): Promise<void> {
  for (const [device, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await settled(page);
    const path = join(OUT_DIR, `${name}-${device}.png`);
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    log(`  ${relative(REPO_ROOT, path)} (${Math.round((await stat(path)).size / 1024)} KB)`);
  }
  await page.setViewportSize(VIEWPORTS.phone);
}

/**
 * Web fonts loaded and two frames painted after the last change (a resize re-lays out). Page
 * code as a string: this file is compiled for Node, without the DOM's types.
 */
async function settled(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    await document.fonts.ready;
    for (let i = 0; i < 2; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
  })()`);
}

try {
  await main();
  log(`screenshots written to ${relative(REPO_ROOT, OUT_DIR)}/`);
  // A client library's stray timer must not keep the command alive.
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}
