import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskInput } from '@oo/local-todoist';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RPC } from '@oo/contracts';
import { waitForMessages, type PushSubscriptionJson } from '@oo/local-push';
import { RpcClient } from '@oo/messaging';
import {
  expectEventually,
  GOOGLE_USER,
  readSignals,
  startLocalPushProcess,
  startWholeSystem,
  type LocalPushProcess,
  type WholeSystem,
} from '@oo/testing';
import {
  axeViolations,
  launchChromium,
  launchChromiumWithProfile,
  swipe,
  tabThrough,
  watchPageProblems,
  type PageProblems,
} from '@oo/testing/browser';

const TASKS: TaskInput[] = [
  { content: 'Call the bank about the card', priority: 4, dueDate: '2026-01-05' },
  { content: 'Water the plants', priority: 2 },
  { content: 'Send the invoice to Lina', priority: 3 },
  { content: 'Book the dentist', priority: 1 },
];

/**
 * The web app in Debian's Chromium against the whole system (every service its own process,
 * the local Todoist and the local Google): what a new user does on their first day, from the
 * sign-in to deleting the account, by keyboard, click and touch, with axe on every page.
 */
describe('the web app in a real Chromium', () => {
  let system: WholeSystem;
  let browser: Browser;
  let localPush: LocalPushProcess;

  beforeAll(async () => {
    [system, browser, localPush] = await Promise.all([
      // The notifier looks for due users every second: a push follows "Notify me" at once.
      startWholeSystem('web_e2e', {
        serviceEnv: { notifier: { NOTIFIER_SCHEDULER_INTERVAL_SECONDS: '1' } },
      }),
      launchChromium(),
      startLocalPushProcess(),
    ]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await localPush?.stop();
    await system?.stop();
  });

  async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<{
    context: BrowserContext;
    page: Page;
    problems: PageProblems;
  }> {
    const context = await browser.newContext({
      timezoneId: 'Europe/Lisbon',
      locale: 'en-GB',
      ...options,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return { context, page, problems: watchPageProblems(page) };
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  async function session(page: Page): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await page.request.get(`${system.base}/api/session`);
    return {
      status: response.status(),
      body: response.ok() ? ((await response.json()) as Record<string, unknown>) : {},
    };
  }

  async function devSignIn(page: Page, email: string, name: string): Promise<void> {
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    await page.getByRole('button', { name: 'Sign in (development)' }).click();
  }

  it('signs in, consents, connects Todoist, reacts, changes settings, signs out and in, and deletes the account', async () => {
    const { context, page, problems } = await newPage({ hasTouch: true });
    const todoistUser = await system.todoist.control.addUser();
    const tasks = await system.todoist.control.addTasks(todoistUser.id, TASKS, { notify: false });
    await system.todoist.control.signIn(todoistUser.id);
    const titles = tasks.map((task) => task.content);

    // Signed out, a deep link goes to the sign-in and comes back after it.
    await page.goto(`${system.base}/settings`);
    await page.waitForURL(/\/signin\?returnTo=%2Fsettings$/);
    await expect(page.getByRole('heading', { level: 1, name: 'oO' }).isVisible()).resolves.toBe(
      true,
    );
    await expectAccessible(page);
    await devSignIn(page, 'ada@example.com', 'Ada Lovelace');

    // First sign-in: the terms, with links, and consent recorded with the browser's time zone.
    await page.getByRole('heading', { name: 'Before we start' }).waitFor();
    expect(await page.getByRole('link', { name: 'Terms of Service' }).getAttribute('href')).toBe(
      '/legal/terms',
    );
    expect(await page.getByRole('link', { name: 'Privacy Policy' }).getAttribute('href')).toBe(
      '/legal/privacy',
    );
    await expectAccessible(page);
    await page.getByRole('button', { name: 'I agree' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings');
    const me = (await (await page.request.get(`${system.base}/api/me`)).json()) as {
      timezone: string;
      consent: { termsVersion: string } | null;
    };
    expect(me.timezone).toBe('Europe/Lisbon');
    expect(me.consent?.termsVersion).toBeTruthy();
    const { body: signedIn } = await session(page);
    const userId = signedIn['userId'] as string;
    expect(signedIn).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
    await expect(page.getByText('ada@example.com').isVisible()).resolves.toBe(true);
    await expectAccessible(page);

    // No Todoist yet: the tip page says what to do.
    await page.getByRole('link', { name: 'Back to your tip' }).click();
    await page.getByRole('heading', { name: 'Connect Todoist to get your first tip' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Connect Todoist' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect your apps' }).waitFor();
    await page.getByText('Not connected').waitFor();
    await expectAccessible(page);

    // Connect: a full OAuth round trip through the local Todoist's consent page.
    await page.getByRole('link', { name: 'Connect Todoist' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByText('Todoist is connected. Your first tip is on its way.').waitFor();
    await expectEventually(async () => expect(new URL(page.url()).search).toBe(''));

    // The tip: one of the tasks, with "why", reactions by keyboard and by click.
    await page.getByRole('link', { name: 'Back to your tip' }).click();
    const title = page.getByRole('heading', { level: 1 });
    await expectEventually(async () => expect(titles).toContain(await title.textContent()), {
      timeoutMs: 20_000,
    });
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Why this tip?' }).click();
    await page.getByRole('region', { name: 'Why this tip' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Why this tip?' }).getAttribute('aria-expanded'),
    ).toBe('true');
    await expectAccessible(page);

    // Everything reachable by Tab, each with a visible focus ring.
    const stops = await tabThrough(page, 10);
    for (const name of ['Done', 'Dismiss', 'Snooze', 'Helpful', 'Not helpful', 'Settings']) {
      expect(stops.map((stop) => stop.element).join('|')).toContain(name);
    }
    expect(stops.filter((stop) => stop.element !== 'body' && !stop.visible)).toEqual([]);
    await page.locator('body').click({ position: { x: 1, y: 1 } });

    // "d" completes the task: closed at Todoist, and the next tip comes without a page load.
    const firstTitle = (await title.textContent())!;
    const firstTask = tasks.find((task) => task.content === firstTitle)!;
    // Its priority and due date in quiet type, in Todoist's words (API priority 4 is "P1").
    const meta =
      (await page
        .locator('.tip-meta')
        .textContent()
        .catch(() => '')) ?? '';
    const expectedMeta = {
      'Call the bank about the card': /P1.*Overdue since 5 Jan/,
      'Water the plants': /P3/,
      'Send the invoice to Lina': /P2/,
      'Book the dentist': /^$/,
    }[firstTitle];
    expect(meta).toMatch(expectedMeta!);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.keyboard.press('d');
    await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
    await expectEventually(async () => {
      const next = await title.textContent();
      expect(titles).toContain(next);
      expect(next).not.toBe(firstTitle);
    });
    await expectEventually(async () =>
      expect(await system.todoist.control.completionCount(firstTask.id)).toBe(1),
    );

    // Snooze by click, with a duration.
    const secondTitle = (await title.textContent())!;
    await page.getByRole('button', { name: 'Snooze' }).click();
    await page
      .getByRole('group', { name: 'Snooze for' })
      .getByRole('button', { name: '1 hour' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Snoozed for 1 hour.' }).waitFor();
    await expectEventually(async () => expect(await title.textContent()).not.toBe(secondTitle));

    // A rating keeps the tip and says thanks; the shortcuts sheet opens on "?".
    await page.getByRole('button', { name: 'Helpful', exact: true }).click();
    await page.getByText('Thanks — noted.').waitFor();
    expect(await page.getByRole('button', { name: 'Not helpful' }).isDisabled()).toBe(true);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
    // A swipe to the left on a touch screen dismisses.
    const thirdTitle = (await title.textContent())!;
    const card = (await title.boundingBox())!;
    await swipe(await context.newCDPSession(page), card.x + card.width / 2, card.y + 10, -160);
    await page.getByRole('status').filter({ hasText: 'Dismissed.' }).waitFor();
    await expectEventually(async () => expect(await title.textContent()).not.toBe(thirdTitle));

    // All of it in one page: the marker set before the first reaction is still there.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // Settings: time zone and quiet hours.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Time zone' }).selectOption('Asia/Tokyo');
    await page.getByLabel('Quiet hours start').fill('23:00');
    await page.getByLabel('Quiet hours end').fill('06:30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await (await page.request.get(`${system.base}/api/me`)).json()).toMatchObject({
      timezone: 'Asia/Tokyo',
      quietHours: { start: '23:00', end: '06:30' },
    });

    // Sign out, and in again: no second consent, straight to the tip.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    expect((await session(page)).status).toBe(401);
    await devSignIn(page, 'ada@example.com', 'Ada Lovelace');
    await expectEventually(async () => expect(titles).toContain(await title.textContent()));
    expect(await page.getByRole('heading', { name: 'Before we start' }).count()).toBe(0);

    // Delete the account: named consequences, signed out, told, and nothing left anywhere.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete your account?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Todoist/);
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(/\/signin\?deleted=1/);
    await page.getByText('Your account has been deleted.').waitFor();
    expect((await session(page)).status).toBe(401);
    await expectEventually(async () => expect(await system.rowsMentioning(userId)).toEqual([]), {
      timeoutMs: 30_000,
    });

    expect(problems).toEqual({ errors: [], console: [], failedFiles: [] });
    await context.close();
  }, 180_000);

  it('signs in with Google (the local provider) and comes back to the page asked for', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(`${system.base}/connect`);
    await page.waitForURL(/\/signin\?returnTo=%2Fconnect$/);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByRole('heading', { name: 'Before we start' }).waitFor();
    await page.getByRole('button', { name: 'I agree' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect your apps' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/connect');
    expect((await session(page)).body).toMatchObject({
      email: GOOGLE_USER.email,
      name: GOOGLE_USER.name,
    });
    expect(problems).toEqual({ errors: [], console: [], failedFiles: [] });
    await context.close();
  }, 60_000);

  it('shows the legal pages to anyone, accessibly', async () => {
    const { context, page, problems } = await newPage();
    for (const [path, heading] of [
      ['/legal/terms', 'Terms of Service'],
      ['/legal/privacy', 'Privacy Policy'],
    ] as const) {
      await page.goto(`${system.base}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expectAccessible(page);
    }
    await page.goto(`${system.base}/no/such/page`);
    await page.getByRole('link', { name: 'Go to your tip' }).waitFor();
    expect(problems).toEqual({ errors: [], console: [], failedFiles: [] });
    await context.close();
  }, 60_000);

  it('"Notify me" subscribes this device; the notifier’s push shows the tip as a notification whose link opens it', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'oo-chromium-push-'));
    const context = await launchChromiumWithProfile(profile);
    try {
      await context.grantPermissions(['notifications'], { origin: system.base });
      // This device's subscription lives at the local push service, made for oO's VAPID key.
      // Chromium's own pushManager.subscribe needs Google's push service, unreachable here, so
      // the page's PushManager hands out this one instead; everything else is Chromium's.
      const { publicKey } = (await (
        await fetch(`${system.base}/api/push/vapid-public-key`)
      ).json()) as { publicKey: string };
      const device = await localPush.control.createSubscription({
        applicationServerKey: publicKey,
      });
      await context.addInitScript(stubPushManager, device.subscription);
      const page = await context.newPage();
      context.setDefaultTimeout(15_000);
      const problems = watchPageProblems(page);
      const todoistUser = await system.todoist.control.addUser();
      await system.todoist.control.addTasks(todoistUser.id, TASKS, { notify: false });
      await system.todoist.control.signIn(todoistUser.id);

      await page.goto(`${system.base}/signin`);
      await devSignIn(page, 'grace@example.com', 'Grace Hopper');
      await page.getByRole('button', { name: 'I agree' }).click();
      await page.getByRole('heading', { name: 'Connect Todoist to get your first tip' }).waitFor();
      const userId = (await session(page)).body['userId'] as string;
      // Quiet hours well away from now, on the user's clock (UTC in this browser).
      const hour = new Date().getUTCHours();
      const clock = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
      const csrf = (await context.cookies(system.base)).find(({ name }) => name === 'oo_csrf');
      const patched = await page.request.patch(`${system.base}/api/me`, {
        headers: { 'x-oo-csrf': csrf!.value, origin: system.base },
        data: { quietHours: { start: clock(hour + 6), end: clock(hour + 8) } },
      });
      expect(patched.status()).toBe(200);
      await page.goto(`${system.base}/connect`);
      await page.getByRole('link', { name: 'Connect Todoist' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByText('Todoist is connected. Your first tip is on its way.').waitFor();
      await page.getByRole('link', { name: 'Back to your tip' }).click();
      const titles = TASKS.map(({ content }) => content);
      const heading = page.getByRole('heading', { level: 1 });
      await expectEventually(async () => expect(titles).toContain(await heading.textContent()), {
        timeoutMs: 20_000,
      });
      const shownOnTheWeb = await heading.textContent();

      // Notify me: permission (granted), the worker, oO's key, the subscription to the
      // notifier, push on in the profile.
      await page.getByRole('button', { name: 'Notify me' }).click();
      await page.getByText('Tips will come to this device.').waitFor();
      expect(await page.getByRole('button', { name: 'Notify me' }).count()).toBe(0);
      const rpc = new RpcClient(system.nats.nc, system.nats.topology);
      const { subscriptions } = await rpc.call(RPC.notifier.list, { userId }, 5_000);
      expect(subscriptions).toEqual([
        expect.objectContaining({ pushService: new URL(localPush.url).host }),
      ]);
      const me = (await (await page.request.get(`${system.base}/api/me`)).json()) as {
        push: { enabled: boolean };
      };
      expect(me.push.enabled).toBe(true);

      // The notifier decides (the real recommender, channel push) and sends; the push service
      // decrypts what a browser would get: another task than the one on screen.
      const [message] = await waitForMessages(localPush.control, {
        subscriptionId: device.id,
        count: 1,
        timeoutMs: 30_000,
      });
      const pushed = JSON.parse(message!.payload) as { tipId: string; title: string; url: string };
      expect(titles).toContain(pushed.title);
      expect(pushed.title).not.toBe(shownOnTheWeb);
      expect(pushed.url).toBe(`/?tip=${pushed.tipId}`);
      // Accepted by the push service, so served: tip.served on channel push.
      await expectEventually(async () => {
        const served = await readSignals<'tip.served'>(system.nats, `signals.tip.served.${userId}`);
        expect(
          served.filter(({ data }) => data.channel === 'push').map(({ data }) => data.tipId),
        ).toEqual([pushed.tipId]);
      });

      // That message, delivered to oO's service worker as Chromium's push service would.
      const cdp = await context.newCDPSession(page);
      const registrationId = new Promise<string>((resolve) => {
        cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
          const ours = registrations.find(
            (registration) =>
              registration.scopeURL === `${system.base}/` && !registration.isDeleted,
          );
          if (ours) resolve(ours.registrationId);
        });
      });
      await cdp.send('ServiceWorker.enable');
      const deliver = async () =>
        cdp.send('ServiceWorker.deliverPushMessage', {
          origin: system.base,
          registrationId: await registrationId,
          data: message!.payload,
        });
      const shown = () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.ready;
          return (await registration.getNotifications()).map((notification) => ({
            title: notification.title,
            tag: notification.tag,
            data: notification.data as unknown,
          }));
        });
      const expected = [
        { title: pushed.title, tag: 'oo-tip', data: { url: pushed.url, tipId: pushed.tipId } },
      ];
      // A push the DevTools protocol hands a worker that is still starting can be lost (a CI run
      // saw none shown once): delivered again, the same tag shows one notification all the same.
      for (let attempt = 1; ; attempt++) {
        await deliver();
        try {
          await expectEventually(async () => expect(await shown()).toEqual(expected), {
            timeoutMs: 3_000,
          });
          break;
        } catch (error) {
          if (attempt === 4) throw error;
        }
      }

      // Where its click leads (Chromium offers automation no way to click a notification; the
      // worker's click handler itself is covered in web/src/service-worker): that very tip,
      // and a reaction to it counts like any other.
      await page.goto(`${system.base}${pushed.url}`);
      await expectEventually(async () => expect(await heading.textContent()).toBe(pushed.title));
      await page.keyboard.press('d');
      await expectEventually(async () => {
        const feedback = await readSignals<'tip.feedback'>(
          system.nats,
          `signals.tip.feedback.${userId}`,
        );
        expect(feedback.map(({ data }) => [data.tipId, data.action])).toContainEqual([
          pushed.tipId,
          'done',
        ]);
      });
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 120_000);

  it('is an installable PWA: a valid manifest with real icons, and a service worker in control', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'oo-chromium-'));
    const context = await launchChromiumWithProfile(profile);
    try {
      const page = await context.newPage();
      await page.goto(`${system.base}/signin`);
      const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
      const manifest = (await (await page.request.get(`${system.base}${manifestHref}`)).json()) as {
        name: string;
        start_url: string;
        display: string;
        theme_color: string;
        icons: Array<{ src: string; sizes: string; purpose?: string; type: string }>;
      };
      expect(manifest).toMatchObject({ name: 'oO', start_url: '/', display: 'standalone' });
      expect(manifest.theme_color.toLowerCase()).toBe('#000000');
      for (const [size, purpose] of [
        ['192x192', 'any'],
        ['512x512', 'any'],
        ['512x512', 'maskable'],
      ] as const) {
        const icon = manifest.icons.find(
          (candidate) => candidate.sizes === size && (candidate.purpose ?? 'any') === purpose,
        );
        expect(icon).toBeDefined();
        const png = await (await page.request.get(`${system.base}${icon!.src}`)).body();
        // The PNG's own header (IHDR) says its size.
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(size);
      }

      // The app registers its worker once the page has loaded; it installs (precaching the
      // shell) and activates on its own. Reloaded, the page is controlled by it.
      const worker = () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration('/');
          return {
            active: registration?.active?.state ?? null,
            controller: navigator.serviceWorker.controller !== null,
          };
        });
      await expectEventually(async () => expect((await worker()).active).toBe('activated'), {
        timeoutMs: 20_000,
      });
      await page.reload();
      await expectEventually(
        async () => expect(await worker()).toEqual({ active: 'activated', controller: true }),
        { timeoutMs: 20_000 },
      );

      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: Array<{ errorId: string }>;
      };
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 90_000);
});

/**
 * Runs in the page before its scripts: a PushManager that hands out the local push service's
 * subscription (what Chromium's would do with a reachable push service).
 */
function stubPushManager(subscription: PushSubscriptionJson): void {
  let current: PushSubscription | null = null;
  const make = (options: PushSubscriptionOptionsInit | undefined): PushSubscription =>
    ({
      endpoint: subscription.endpoint,
      expirationTime: null,
      options: {
        userVisibleOnly: true,
        applicationServerKey: options?.applicationServerKey ?? null,
      },
      getKey: () => null,
      toJSON: () => subscription,
      unsubscribe: () => {
        current = null;
        return Promise.resolve(true);
      },
    }) as unknown as PushSubscription;
  PushManager.prototype.subscribe = function (options) {
    current = make(options);
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = () => Promise.resolve(current);
}
