import { randomUUID } from 'node:crypto';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  createTestNats,
  devSignIn,
  expectEventually,
  freePort,
  readMetric,
  readSignals,
  serviceTestEnv,
  startServiceProcess,
  stopProcesses,
  type RunningProcess,
  type SignedIn,
  type TestNats,
} from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadRecommenderEnv } from '../src/config/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { TaskHoldRepository } from '../src/holds/task-hold.repository.js';
import { TipRepository, type StoredTip } from '../src/tips/tip.repository.js';

const PUBLIC_URL = 'http://oo.test';
const MINUTE = 60_000;

interface Browser extends SignedIn {
  /** `POST /api/tips/:tipId/feedback` as the SPA sends it (cookies, Origin, X-OO-CSRF). */
  react(
    tipId: string,
    body: unknown,
    options?: { csrf?: boolean; session?: boolean; raw?: string },
  ): Promise<Response>;
}

/**
 * The user's reactions through the gateway: auth and the gateway are processes, the recommender
 * runs in the test against its own database. Tips are stored with `TipRepository.createTip`, as a
 * decision would store them; what the user sees is the HTTP answer, and what the scorer sees is
 * the `signals.tip.feedback` event.
 */
describe('POST /api/tips/:tipId/feedback, end to end', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let prisma: PrismaClient;
  let recommender: ServiceApp;
  let recommenderUrl: string;
  let base: string;
  let tips: TipRepository;
  let holds: TaskHoldRepository;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth', 'recommender'] });
    nats = await createTestNats('recommender_feedback');
    const env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL });
    recommender = await createApp(
      loadRecommenderEnv({
        ...env,
        PORT: String(await freePort()),
        RECOMMENDER_DISMISS_COOLOFF_HOURS: '24',
      }),
    );
    const [auth] = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      recommender.start().then((url) => (recommenderUrl = url)),
    ]);
    processes.push(auth.process);
    const gateway = await startServiceProcess('gateway', { ...env, AUTH_URL: auth.url });
    processes.push(gateway.process);
    base = gateway.url;
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'recommender') });
    tips = new TipRepository(prisma);
    holds = new TaskHoldRepository(prisma);
  }, 180_000);

  afterAll(async () => {
    await stopProcesses(processes);
    await recommender?.stop();
    await prisma?.$disconnect();
    await nats?.cleanup();
    await database?.drop();
  });

  async function signIn(): Promise<Browser> {
    let signedIn: SignedIn | undefined;
    await expectEventually(async () => {
      signedIn = await devSignIn(base, PUBLIC_URL, `${randomUUID()}@example.com`);
    });
    const { cookie, mutationHeaders } = signedIn!;
    await expectEventually(async () => {
      expect((await fetch(`${base}/api/session`, { headers: { cookie } })).status).toBe(200);
    });
    return {
      ...signedIn!,
      react: (tipId, body, { csrf = true, session = true, raw } = {}) => {
        const { 'x-oo-csrf': token, cookie: sent, ...rest } = mutationHeaders;
        return fetch(`${base}/api/tips/${tipId}/feedback`, {
          method: 'POST',
          headers: {
            ...rest,
            ...(session ? { cookie: sent! } : {}),
            ...(csrf ? { 'x-oo-csrf': token! } : {}),
            'content-type': 'application/json',
          },
          body: raw ?? JSON.stringify(body),
        });
      },
    };
  }

  let served = 0;
  /** A decision as the recommender logs it: the user's open web tip for a new task. */
  async function serve(userId: string): Promise<StoredTip> {
    served += 1;
    const { tip } = await tips.createTip({
      userId,
      channel: 'web',
      taskId: `task-${served}`,
      provider: 'todoist',
      title: 'Pay rent',
      priority: 4,
      due: null,
      url: null,
      policy: 'linucb-d5',
      propensity: 0.96,
      features: [0.5, -0.25, 1, 0.125, 1],
      shadow: { 'linucb-x11': [0.5, -0.25, 1, 0.125, 1, 0.5, -0.25, 0.0625, -0.03125, 0.5, 1] },
      seed: 42n,
      candidateCount: 3,
      latencyMs: 3,
      servedAt: new Date(),
    });
    return tip;
  }

  const feedbackOf = async (tipId: string) =>
    (await readSignals<'tip.feedback'>(nats, 'signals.tip.feedback.*')).filter(
      (event) => event.data.tipId === tipId,
    );
  const reactionsOf = (tipId: string) =>
    prisma.tipReaction.findMany({ where: { tipId }, orderBy: { reactedAt: 'asc' } });
  const metric = (series: string) => readMetric(recommenderUrl, series);

  it('takes a done: 200 with reward 1, one feedback event with the tip’s decision, and the tip ends', async () => {
    const ada = await signIn();
    const tip = await serve(ada.userId);
    const before = await metric('oo_recommender_reactions_total{action="done",source="user"');

    const response = await ada.react(tip.id, { action: 'done' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { heldUntil: string };
    expect(body).toEqual({
      tipId: tip.id,
      taskId: tip.taskId,
      action: 'done',
      reward: 1,
      heldUntil: body.heldUntil,
    });
    expect(typeof body.heldUntil).toBe('string');
    // Out of the tips until integrations has the done (and hides the task itself).
    const heldFor = new Date(body.heldUntil).getTime() - Date.now();
    expect(heldFor).toBeGreaterThan(9 * 60_000);
    expect(heldFor).toBeLessThanOrEqual(10 * 60_000);

    await expectEventually(async () => expect(await feedbackOf(tip.id)).toHaveLength(1));
    const [event] = await feedbackOf(tip.id);
    expect(event!.userId).toBe(ada.userId);
    expect(event!.data).toEqual({
      tipId: tip.id,
      taskId: tip.taskId,
      action: 'done',
      reward: 1,
      policy: 'linucb-d5',
      features: tip.features,
      propensity: 0.96,
      shadow: [{ policy: 'linucb-x11', features: tip.shadow!['linucb-x11'] }],
      source: 'user',
    });
    expect(await tips.openTip(ada.userId, 'web')).toBeUndefined();
    expect(await prisma.tip.findUnique({ where: { id: tip.id } })).toMatchObject({
      endReason: 'done',
    });
    expect(await metric('oo_recommender_reactions_total{action="done",source="user"')).toBe(
      before + 1,
    );
  });

  it('holds a snoozed task 60 minutes by default or for its minutes, and a dismissed one for the cool-off', async () => {
    const ada = await signIn();
    const heldFor = async (body: object, minutes: number) => {
      const tip = await serve(ada.userId);
      const sentAt = Date.now();
      const response = await ada.react(tip.id, body);
      const answeredAt = Date.now();
      expect(response.status).toBe(200);
      const { heldUntil } = (await response.json()) as { heldUntil: string };
      const until = new Date(heldUntil).getTime();
      expect(until).toBeGreaterThanOrEqual(sentAt + minutes * MINUTE);
      expect(until).toBeLessThanOrEqual(answeredAt + minutes * MINUTE);
      // The hold the next decision reads: in force until then, not a moment after.
      const held = (at: number) => holds.heldTaskIds(ada.userId, 'todoist', new Date(at));
      expect(await held(until - 1)).toContain(tip.taskId);
      expect(await held(until + 1)).not.toContain(tip.taskId);
      return tip;
    };
    const snoozed = await heldFor({ action: 'snooze' }, 60);
    const longer = await heldFor({ action: 'snooze', snoozeMinutes: 120 }, 120);
    const week = await heldFor({ action: 'snooze', snoozeMinutes: 10_080 }, 10_080);
    const dismissed = await heldFor({ action: 'dismiss' }, 24 * 60);

    const reasons = Object.fromEntries(
      (await holds.activeHolds(ada.userId, new Date())).map((hold) => [hold.taskId, hold.reason]),
    );
    expect(reasons).toEqual({
      [snoozed.taskId]: 'snooze',
      [longer.taskId]: 'snooze',
      [week.taskId]: 'snooze',
      [dismissed.taskId]: 'dismiss',
    });
  });

  it('takes one terminal reaction and one rating per tip: a second is 409 naming the rule', async () => {
    const ada = await signIn();
    const tip = await serve(ada.userId);
    const refusedBefore = {
      terminal: await metric('oo_recommender_reactions_refused_total{kind="terminal"'),
      rating: await metric('oo_recommender_reactions_refused_total{kind="rating"'),
    };

    expect((await ada.react(tip.id, { action: 'done' })).status).toBe(200);
    for (const action of ['dismiss', 'done', 'snooze']) {
      const again = await ada.react(tip.id, { action });
      expect([action, again.status]).toEqual([action, 409]);
      expect(await again.json()).toEqual({
        error: {
          code: 'conflict',
          message:
            'This tip already has its terminal reaction (done): a tip takes one of done, dismiss or snooze',
          field: 'action',
        },
      });
    }

    // A rating after the terminal reaction still counts: it is the other kind.
    const rated = await ada.react(tip.id, { action: 'helpful' });
    expect(rated.status).toBe(200);
    expect(await rated.json()).toMatchObject({ action: 'helpful', reward: 0.5 });
    const twice = await ada.react(tip.id, { action: 'not_helpful' });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toEqual({
      error: {
        code: 'conflict',
        message:
          'This tip is already rated (helpful): a tip takes one rating, helpful or not_helpful',
        field: 'action',
      },
    });

    expect((await reactionsOf(tip.id)).map((row) => [row.kind, row.action])).toEqual([
      ['terminal', 'done'],
      ['rating', 'helpful'],
    ]);
    await expectEventually(async () =>
      expect((await feedbackOf(tip.id)).map((event) => event.data.action)).toEqual([
        'done',
        'helpful',
      ]),
    );
    expect(await metric('oo_recommender_reactions_refused_total{kind="terminal"')).toBe(
      refusedBefore.terminal + 3,
    );
    expect(await metric('oo_recommender_reactions_refused_total{kind="rating"')).toBe(
      refusedBefore.rating + 1,
    );
  });

  it('answers 404 for another user’s tip, storing nothing, and for ids that are no tip', async () => {
    const ada = await signIn();
    const bob = await signIn();
    const adas = await serve(ada.userId);

    const stolen = await bob.react(adas.id, { action: 'done' });
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ error: { code: 'not_found', field: 'tipId' } });
    for (const tipId of [randomUUID(), 'not-a-tip', `urn:uuid:${adas.id}`]) {
      const unknown = await ada.react(tipId, { action: 'helpful' });
      expect([tipId, unknown.status]).toEqual([tipId, 404]);
      expect(await unknown.json()).toMatchObject({ error: { code: 'not_found', field: 'tipId' } });
    }

    expect(await reactionsOf(adas.id)).toEqual([]);
    expect(await tips.openTip(ada.userId, 'web')).toMatchObject({ id: adas.id });
    // Ada's own reaction still counts: Bob's attempt took nothing from her.
    expect((await ada.react(adas.id, { action: 'done' })).status).toBe(200);
    await expectEventually(async () => expect(await feedbackOf(adas.id)).toHaveLength(1));
    expect((await feedbackOf(adas.id))[0]!.userId).toBe(ada.userId);
  });

  it('answers each malformed body with a 4xx naming the field, and stores nothing', async () => {
    const ada = await signIn();
    const tip = await serve(ada.userId);
    const cases: Array<[unknown, string]> = [
      [{}, 'action'],
      [{ action: 'love' }, 'action'],
      [{ action: 'expired' }, 'action'],
      [{ action: 42 }, 'action'],
      [{ action: 'snooze', snoozeMinutes: 0 }, 'snoozeMinutes'],
      [{ action: 'snooze', snoozeMinutes: 10_081 }, 'snoozeMinutes'],
      [{ action: 'snooze', snoozeMinutes: 1.5 }, 'snoozeMinutes'],
      [{ action: 'snooze', snoozeMinutes: '60' }, 'snoozeMinutes'],
      [{ action: 'done', snoozeMinutes: 30 }, 'snoozeMinutes'],
      [{ action: 'helpful', snoozeMinutes: 30 }, 'snoozeMinutes'],
      [{ action: 'done', userId: 'someone-else' }, 'userId'],
      [{ action: 'done', reward: 1 }, 'reward'],
      [['done'], 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await ada.react(tip.id, body);
      const answer = (await response.json()) as { error: { code: string; field?: string } };
      expect([
        JSON.stringify(body),
        response.status,
        answer.error.code,
        answer.error.field,
      ]).toEqual([JSON.stringify(body), 400, 'invalid_request', field]);
    }
    const notJson = await ada.react(tip.id, undefined, { raw: '{"action": "do' });
    expect(notJson.status).toBe(400);
    const { error } = (await notJson.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/body/i);

    expect(await reactionsOf(tip.id)).toEqual([]);
    expect(await tips.openTip(ada.userId, 'web')).toMatchObject({ id: tip.id });
  });

  it('refuses a reaction without the CSRF header (403) or without a session (401)', async () => {
    const ada = await signIn();
    const tip = await serve(ada.userId);

    const forged = await ada.react(tip.id, { action: 'done' }, { csrf: false });
    expect(forged.status).toBe(403);
    const anonymous = await ada.react(tip.id, { action: 'done' }, { session: false, csrf: false });
    expect(anonymous.status).toBe(401);

    expect(await reactionsOf(tip.id)).toEqual([]);
    expect(await tips.openTip(ada.userId, 'web')).toMatchObject({ id: tip.id });
  });
});
