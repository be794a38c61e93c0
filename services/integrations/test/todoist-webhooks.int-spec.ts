import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createEnvelope } from '@oo/contracts';
import type { TaskInput, WebhookDelivery } from '@oo/local-todoist';
import {
  expectEventually,
  freePort,
  readSignals,
  serviceTestEnv,
  startServiceProcess,
  stopProcesses,
  tipFeedbackData,
  type RunningProcess,
} from '@oo/testing';
import { TaskCache, type CachedTasks } from '../src/sync/task-cache.js';
import { todoistKeys } from '../src/todoist/todoist-keys.js';
import { TaskSyncCoordinator } from '../src/sync/task-sync.coordinator.js';
import { DELIVERY_MEMORY_MS, WebhookDeliveries } from '../src/webhooks/webhook-deliveries.js';
import { grantAccessToken } from './support/local-todoist-grant.js';
import {
  startIntegrationsHarness,
  testClient,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

const CLIENT = testClient('oo-webhook');

const IP_LIMIT = 5;
/** Wrongly signed deliveries an address may send a minute; low, so the test reaches it. */
const REFUSAL_LIMIT = 4;

/**
 * Todoist webhooks end to end: the local Todoist (its own process) delivers signed webhooks to
 * the gateway (its own process) at `/webhooks/todoist`, which passes the raw bytes over
 * `rpc.integrations.webhook` to integrations (in this process, on real NATS, Redis, Postgres).
 */
describe('Todoist webhooks, through the gateway', () => {
  let harness: IntegrationsHarness;
  let gateway: RunningProcess;
  let webhookUrl: string;
  let cache: TaskCache;

  beforeAll(async () => {
    const gatewayPort = await freePort();
    const base = `http://127.0.0.1:${gatewayPort}`;
    webhookUrl = `${base}/webhooks/todoist`;
    const sharedEnv = {
      PUBLIC_URL: base,
      // A user-sized budget Todoist's deliveries must not be held to (their own bucket).
      RATE_LIMIT_IP_PER_MINUTE: String(IP_LIMIT),
      RATE_LIMIT_WEBHOOK_REFUSALS_PER_MINUTE: String(REFUSAL_LIMIT),
      // One proxy hop trusted: a test speaks for another sender with X-Forwarded-For, so its
      // refusals are counted apart from every other test's (all from 127.0.0.1).
      TRUSTED_PROXY_HOPS: '1',
    };
    harness = await startIntegrationsHarness('integrations_webhooks', {
      client: CLIENT,
      webhookUrl,
      sharedEnv,
    });
    gateway = (
      await startServiceProcess('gateway', await serviceTestEnv(harness.nats, sharedEnv), {
        port: gatewayPort,
        waitUntilReady: false,
      })
    ).process;
    cache = new TaskCache(harness.redis);
    // The gateway's routes are up once a delivery reaches integrations (no session keys needed).
    await expectEventually(
      async () => expect((await postSigned(JSON.stringify(otherEvent('0')))).status).toBe(200),
      { timeoutMs: 90_000, intervalMs: 200 },
    );
  }, 180_000);

  afterAll(async () => {
    if (gateway) await stopProcesses([gateway]);
    await harness?.stop();
  });

  /** A user of oO connected to a fresh Todoist account holding `tasks`. */
  const connectedUser = (label: string, tasks: TaskInput[] = []) =>
    harness.connectUser(label, tasks);

  function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  }

  /** A delivery as Todoist sends it: signed (by `secret`) and with a fresh delivery id. */
  function postSigned(
    body: string,
    secret = CLIENT.secret,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return post(body, {
      'x-todoist-hmac-sha256': sign(body, secret),
      'x-todoist-delivery-id': randomUUID(),
      ...headers,
    });
  }

  /**
   * Counts the deliveries whose body holds `marker` that the gateway forwards over
   * `rpc.integrations.webhook` (a plain subscription next to integrations' own: it sees every
   * request, answers none).
   */
  async function countForwarded(
    marker: string,
  ): Promise<{ count: () => number; stop: () => void }> {
    let forwarded = 0;
    const subscription = harness.nats.nc.subscribe(
      harness.nats.topology.wire('rpc.integrations.webhook'),
      {
        callback: (_error, message) => {
          const request = message.json<{ data: { rawBody: string } }>();
          if (Buffer.from(request.data.rawBody, 'base64').toString('utf8').includes(marker)) {
            forwarded += 1;
          }
        },
      },
    );
    await harness.nats.nc.flush();
    return { count: () => forwarded, stop: () => subscription.unsubscribe() };
  }

  /**
   * An address no other test sends from, as the trusted proxy hop reports it: a /64 of its own,
   * since refusals count an IPv6 sender by its /64.
   */
  const freshAddress = () =>
    `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;

  /**
   * The status of a POST the server may refuse while the body is still being sent (its
   * Content-Length is over the limit): the answer counts, the broken pipe after it does not
   * (fetch would reject with EPIPE if the refusal wins the race with the upload).
   */
  function statusOfOversized(body: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', (error) => setTimeout(() => reject(error), 1_000));
      request.end(body);
    });
  }

  const sign = (raw: string, secret = CLIENT.secret) =>
    createHmac('sha256', secret).update(raw).digest('base64');

  function otherEvent(todoistUserId: string): Record<string, unknown> {
    return {
      event_name: 'project:added',
      user_id: todoistUserId,
      event_data: { id: 'p1', name: 'Garden' },
      initiator: { id: todoistUserId },
      triggered_at: new Date().toISOString(),
      version: '10',
    };
  }

  /** Every `task.completed` in SIGNALS for the user (any user: `*`), oldest first. */
  const completionsOf = (userId: string) => harness.taskCompletedOf(userId);

  /** The delivery the local Todoist sent last for a Todoist user, once it was answered. */
  async function answeredDelivery(
    todoistUserId: string,
    eventName: string,
  ): Promise<WebhookDelivery> {
    let delivery: WebhookDelivery | undefined;
    await expectEventually(async () => {
      delivery = (await harness.todoist.control.deliveries())
        .filter((d) => d.userId === todoistUserId && d.eventName === eventName)
        .at(-1);
      expect(delivery?.responseStatus).not.toBeNull();
      expect(delivery?.responseStatus).toBeDefined();
    });
    return delivery!;
  }

  const tasksOf = (userId: string) =>
    harness.rpc.call('rpc.integrations.tasks', { userId }, 20_000);

  const deliveryRows = (deliveryId: string) =>
    harness.prisma.webhookDelivery.count({ where: { deliveryId } });

  it('a task completed through the Todoist API arrives as task.completed via webhook', async () => {
    const user = await connectedUser('api_close', [{ content: 'Post the parcel' }]);
    const [task] = await harness.todoist.control.openTasks(user.todoistUserId);
    const closed = await fetch(`${harness.todoist.apiUrl}/tasks/${task!.id}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(closed.status).toBe(204);

    await expectEventually(async () => expect(await completionsOf(user.userId)).toHaveLength(1));
    const [event] = await completionsOf(user.userId);
    expect(event!.data).toMatchObject({ source: 'todoist', taskId: task!.id, via: 'webhook' });
    const delivery = await answeredDelivery(user.todoistUserId, 'item:completed');
    expect(delivery.responseStatus).toBe(200);
    expect(await deliveryRows(delivery.deliveryId)).toBe(1);
  });

  it('processes a redelivered delivery id once: one task.completed, the cache left alone', async () => {
    const user = await connectedUser('redeliver', [{ content: 'Call the bank' }]);
    const [task] = await harness.todoist.control.openTasks(user.todoistUserId);
    await harness.todoist.control.completeTask(task!.id);
    const delivery = await answeredDelivery(user.todoistUserId, 'item:completed');
    expect(delivery.responseStatus).toBe(200);
    // A fresh set in the cache (without the completed task), which a reprocessed delivery would mark stale.
    await expectEventually(async () => {
      expect((await tasksOf(user.userId)).tasks).toEqual([]);
      expect((await cache.read(user.userId))!.refreshAfter).toBeGreaterThan(Date.now());
    });
    const fresh = await cache.read(user.userId);

    const again = await harness.todoist.control.redeliver(delivery.deliveryId);
    const third = await harness.todoist.control.redeliver(delivery.deliveryId);

    expect([again.responseStatus, third.responseStatus, third.attempts]).toEqual([200, 200, 3]);
    expect(await completionsOf(user.userId)).toHaveLength(1);
    expect(await deliveryRows(delivery.deliveryId)).toBe(1);
    // Processed again, it would have marked the set stale once more.
    expect(await cache.read(user.userId)).toEqual(fresh);
  });

  it('a recurring completion (item:updated, item_completed) is a task.completed; the task stays open', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const user = await connectedUser('recurring', [
      { content: 'Water the plants', dueDate: today, dueString: 'every day' },
    ]);
    const [task] = await harness.todoist.control.openTasks(user.todoistUserId);
    await harness.todoist.control.completeTask(task!.id);

    const delivery = await answeredDelivery(user.todoistUserId, 'item:updated');
    expect(delivery.responseStatus).toBe(200);
    const events = await completionsOf(user.userId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ taskId: task!.id, via: 'webhook' });
    const after = await harness.todoist.control.task(task!.id);
    expect(after!.checked).toBe(false);
    expect(after!.due!.date).not.toBe(today);

    // The next day's completion is a completion of its own.
    await harness.todoist.control.completeTask(task!.id);
    await expectEventually(async () => expect(await completionsOf(user.userId)).toHaveLength(2));
  });

  it('a wrong or missing signature is a 401: nothing published, nothing stored', async () => {
    const user = await connectedUser('forged', [{ content: 'Renew passport' }]);
    const [task] = await harness.todoist.control.openTasks(user.todoistUserId);
    const body = JSON.stringify({
      event_name: 'item:completed',
      user_id: user.todoistUserId,
      event_data: { ...task, checked: true, completed_at: new Date().toISOString() },
      initiator: { id: user.todoistUserId },
      triggered_at: new Date().toISOString(),
      version: '10',
    });
    const deliveryId = randomUUID();

    const forged = await post(body, {
      'x-todoist-hmac-sha256': sign(body, 'not-the-client-secret'),
      'x-todoist-delivery-id': deliveryId,
    });
    const unsigned = await post(body, { 'x-todoist-delivery-id': deliveryId });
    const tampered = await post(body.replace('"version":"10"', '"version":"11"'), {
      'x-todoist-hmac-sha256': sign(body),
      'x-todoist-delivery-id': deliveryId,
    });

    expect([forged.status, unsigned.status, tampered.status]).toEqual([401, 401, 401]);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'unauthenticated',
    );
    expect(await completionsOf(user.userId)).toEqual([]);
    expect(await deliveryRows(deliveryId)).toBe(0);

    // The very same bytes, signed by Todoist's secret, are accepted: only the signature differed.
    const genuine = await post(body, {
      'x-todoist-hmac-sha256': sign(body),
      'x-todoist-delivery-id': deliveryId,
    });
    expect(genuine.status).toBe(200);
    expect(await completionsOf(user.userId)).toHaveLength(1);
  });

  it('a signed but malformed delivery is a 400 naming the field, and is not stored', async () => {
    const body = JSON.stringify({ ...otherEvent('1'), triggered_at: 'yesterday-ish' });
    const deliveryId = randomUUID();
    const answer = await post(body, {
      'x-todoist-hmac-sha256': sign(body),
      'x-todoist-delivery-id': deliveryId,
    });
    expect(answer.status).toBe(400);
    expect(await deliveryRows(deliveryId)).toBe(0);

    const notJson = '{"event_name": "item:completed",';
    expect((await postSigned(notJson)).status).toBe(400);
  });

  it('webhook, reconcile and oO’s own close of one task count it once: one task.completed, via oo', async () => {
    const user = await connectedUser('three_paths', [{ content: 'Renew the passport' }]);
    const [task] = await harness.todoist.control.openTasks(user.todoistUserId);
    // oO has the task in its snapshot, as when its tip was served.
    expect((await tasksOf(user.userId)).tasks.map((t) => t.taskId)).toEqual([task!.id]);

    // The user marks the tip done: oO closes the task at Todoist. Todoist's webhook about that
    // close is held back (as Todoist sends it a moment later) and handed over after oO counted it.
    await harness.todoist.control.dropNextWebhooks(1);
    const done = createEnvelope('tip.feedback', user.userId, tipFeedbackData({ taskId: task!.id }));
    await harness.nats.js.publish(
      harness.nats.topology.wire(`signals.tip.feedback.${user.userId}`),
      JSON.stringify(done),
      { msgID: done.id },
    );
    await expectEventually(async () => expect(await completionsOf(user.userId)).toHaveLength(1));
    expect((await harness.todoist.control.task(task!.id))?.checked).toBe(true);

    const held = (await harness.todoist.control.deliveries()).find(
      (d) => d.userId === user.todoistUserId && d.eventName === 'item:completed',
    );
    expect(held?.status).toBe('dropped');
    expect((await harness.todoist.control.redeliver(held!.deliveryId)).responseStatus).toBe(200);

    // The next sync sees the task gone and finds it in Todoist's completed list.
    const completedListsBefore = await completedListRequests(user.todoistUserId);
    await harness.instance.app.get(TaskSyncCoordinator).syncNow(user.userId);
    expect(await completedListRequests(user.todoistUserId)).toBe(completedListsBefore + 1);
    expect((await tasksOf(user.userId)).tasks).toEqual([]);

    const events = await completionsOf(user.userId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ taskId: task!.id, via: 'oo' });
    expect(await harness.todoist.control.completionCount(task!.id)).toBe(1);
  });

  async function completedListRequests(todoistUserId: string): Promise<number> {
    return (await harness.todoist.control.requests()).filter(
      (r) =>
        r.userId === todoistUserId &&
        r.path.startsWith('/api/v1/tasks/completed/by_completion_date'),
    ).length;
  }

  it('a delivery for a Todoist user no oO user is connected to is a 200 and publishes nothing', async () => {
    const before = (await completionsOf('*')).length;
    // Authorised the app at Todoist (so Todoist sends its webhooks), but no connection here:
    // as after a disconnect or a deletion.
    const stranger = await harness.todoist.control.addUser();
    await grantAccessToken(harness.todoist, CLIENT, stranger.id);
    const [task] = await harness.todoist.control.addTasks(stranger.id, [{ content: 'Not ours' }], {
      notify: false,
    });
    await harness.todoist.control.completeTask(task!.id);

    const delivery = await answeredDelivery(stranger.id, 'item:completed');
    expect(delivery.responseStatus).toBe(200);
    expect(await completionsOf('*')).toHaveLength(before);
  });

  it('a task completed in Todoist leaves rpc.integrations.tasks at once, before any refresh', async () => {
    const user = await connectedUser('hidden', [
      { content: 'Buy stamps' },
      { content: 'Fix the bike' },
    ]);
    const [done, kept] = await harness.todoist.control.openTasks(user.todoistUserId);
    expect((await tasksOf(user.userId)).tasks).toHaveLength(2);

    await harness.todoist.control.completeTask(done!.id);
    expect((await answeredDelivery(user.todoistUserId, 'item:completed')).responseStatus).toBe(200);

    // The cached set (Todoist's as of the last sync) still lists it; the answer must not.
    const cached = JSON.parse(
      (await harness.redis.get(todoistKeys.tasks(user.userId)))!,
    ) as CachedTasks;
    expect(cached.tasks).toHaveLength(2);
    expect((await tasksOf(user.userId)).tasks.map((task) => task.taskId)).toEqual([kept!.id]);
  });

  it('a task deleted in Todoist is soon published as a task.synced without it, with nobody asking for the tasks', async () => {
    const user = await connectedUser('deleted', [
      { content: 'Plan the trip' },
      { content: 'Sell the car' },
    ]);
    const [deleted, kept] = await harness.todoist.control.openTasks(user.todoistUserId);
    expect((await tasksOf(user.userId)).tasks).toHaveLength(2);
    const published = async () =>
      (await readSignals<'task.synced'>(harness.nats, `signals.task.synced.${user.userId}`)).map(
        (event) => event.data.tasks.map((task) => task.taskId).sort(),
      );
    expect(await published()).toEqual([[deleted!.id, kept!.id].sort()]);

    await harness.todoist.control.deleteTask(deleted!.id);
    expect((await answeredDelivery(user.todoistUserId, 'item:deleted')).responseStatus).toBe(200);

    // Nobody asks for the tasks (a read would refresh the set itself): the webhook's own sync
    // tells the recommender, whose open tip may be the deleted task, through task.synced.
    await expectEventually(async () => expect((await published()).at(-1)).toEqual([kept!.id]));
    expect((await tasksOf(user.userId)).tasks.map((task) => task.taskId)).toEqual([kept!.id]);
  });

  it('item:added marks the cached tasks stale: the next rpc.integrations.tasks shows the new task', async () => {
    const user = await connectedUser('added', [{ content: 'Book dentist' }]);
    await expectEventually(async () => {
      const first = await tasksOf(user.userId);
      expect(first.status).toBe('ok');
      expect(first.tasks).toHaveLength(1);
    });

    const [added] = await harness.todoist.control.addTasks(user.todoistUserId, [
      { content: 'Buy milk' },
    ]);
    const delivery = await answeredDelivery(user.todoistUserId, 'item:added');
    expect(delivery.responseStatus).toBe(200);

    // Well inside the 30 s the set would otherwise count as fresh.
    await expectEventually(async () =>
      expect((await tasksOf(user.userId)).tasks.map((t) => t.taskId)).toContain(added!.id),
    );
  });

  it('forgets delivery ids after 30 days', async () => {
    const deliveries = new WebhookDeliveries(harness.prisma);
    const now = new Date();
    const old = randomUUID();
    const recent = randomUUID();
    await deliveries.markProcessed(old, new Date(now.getTime() - DELIVERY_MEMORY_MS - 60_000));
    await deliveries.markProcessed(recent, new Date(now.getTime() - DELIVERY_MEMORY_MS + 60_000));

    expect(await deliveries.prune(now)).toBeGreaterThanOrEqual(1);
    expect([await deliveryRows(old), await deliveryRows(recent)]).toEqual([0, 1]);
  });

  it('counts deliveries in a bucket of their own: many more than the per-address limit get through', async () => {
    const answers = [];
    for (let i = 0; i < IP_LIMIT * 4; i += 1) {
      answers.push((await post(JSON.stringify(otherEvent('0')))).status);
    }
    expect(answers.filter((status) => status === 429)).toEqual([]);
    // Any other route from the same address is held to the per-address limit.
    const other = [];
    for (let i = 0; i <= IP_LIMIT; i += 1) {
      other.push((await fetch(webhookUrl.replace('/webhooks/todoist', '/api/me'))).status);
    }
    expect(other.at(-1)).toBe(429);
  });

  it('refuses what Todoist never sends without forwarding it: no well-formed signature 401, no delivery id 400', async () => {
    const marker = `unsigned_${randomBytes(4).toString('hex')}`;
    const forwarded = await countForwarded(marker);
    try {
      const body = JSON.stringify(otherEvent(marker));
      const hex = createHmac('sha256', CLIENT.secret).update(body).digest('hex');
      const withId = { 'x-todoist-delivery-id': randomUUID() };
      const statuses = [
        (await post(body, withId)).status,
        (await post(body, { ...withId, 'x-todoist-hmac-sha256': 'abc' })).status,
        (await post(body, { ...withId, 'x-todoist-hmac-sha256': hex })).status,
      ];
      expect(statuses).toEqual([401, 401, 401]);

      // Correctly signed, so only the missing header stops it.
      const noId = await post(body, { 'x-todoist-hmac-sha256': sign(body) });
      expect(noId.status).toBe(400);
      expect(((await noId.json()) as { error: { field?: string } }).error.field).toBe(
        'X-Todoist-Delivery-ID',
      );

      // A well-formed forgery does travel (integrations alone can tell it is wrong), and the
      // bus keeps the order: had any refusal above been forwarded, it would be counted too.
      const forged = await postSigned(body, 'not-the-client-secret', {
        'x-forwarded-for': freshAddress(),
      });
      expect(forged.status).toBe(401);
      await expectEventually(async () => expect(forwarded.count()).toBeGreaterThanOrEqual(1));
      expect(forwarded.count()).toBe(1);
    } finally {
      forwarded.stop();
    }
  });

  it('an address whose deliveries were refused as wrongly signed too often this minute gets 429, unforwarded', async () => {
    const marker = `forger_${randomBytes(4).toString('hex')}`;
    const forger = { 'x-forwarded-for': freshAddress() };
    const body = JSON.stringify(otherEvent(marker));
    const forwarded = await countForwarded(marker);
    try {
      const refused = [];
      for (let i = 0; i < REFUSAL_LIMIT; i += 1) {
        refused.push((await postSigned(body, 'not-the-client-secret', forger)).status);
      }
      expect(refused).toEqual(Array(REFUSAL_LIMIT).fill(401));

      const next = await postSigned(body, 'not-the-client-secret', forger);
      expect(next.status).toBe(429);
      expect(((await next.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
      // The block is by address: even a genuine delivery from it waits for the next minute.
      expect((await postSigned(body, CLIENT.secret, forger)).status).toBe(429);

      // Another address (as Todoist's own) is not held to the forger's budget.
      const elsewhere = await postSigned(body, CLIENT.secret, {
        'x-forwarded-for': freshAddress(),
      });
      expect(elsewhere.status).toBe(200);
      // The refused forgeries and that one travelled; the two 429s did not (the bus keeps order).
      await expectEventually(async () =>
        expect(forwarded.count()).toBeGreaterThanOrEqual(REFUSAL_LIMIT + 1),
      );
      expect(forwarded.count()).toBe(REFUSAL_LIMIT + 1);
    } finally {
      forwarded.stop();
    }
  });

  it('is public and needs no CSRF token, but takes only JSON of at most 256 KiB', async () => {
    const body = JSON.stringify(otherEvent('2'));
    expect((await postSigned(body)).status).toBe(200);

    // Past what Todoist sends (a 16,384-character description twice, in item:updated).
    const huge = JSON.stringify({ ...otherEvent('2'), padding: 'x'.repeat(300 * 1024) });
    expect(
      await statusOfOversized(huge, {
        'x-todoist-hmac-sha256': sign(huge),
        'x-todoist-delivery-id': randomUUID(),
      }),
    ).toBe(413);

    const form = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'event_name=item%3Acompleted',
    });
    expect(form.status).toBe(415);
  });
});
