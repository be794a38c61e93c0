import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectEventually } from '@oo/testing';
import { createLocalTodoist, type LocalTodoist } from '../src/index.js';
import { api, CLIENT_ID, CLIENT_SECRET, connect, REDIRECT_URI } from './oauth-helpers.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** What an app's webhook endpoint sees: raw bytes and headers, answered 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/todoist`, received, server };
}

/** The receiver's check, written from Todoist's documentation, not from the stand-in's code. */
function signatureValid(secret: string, { headers, raw }: Received): boolean {
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(String(headers['x-todoist-hmac-sha256']), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function bodyOf(delivery: Received): Record<string, unknown> {
  return JSON.parse(delivery.raw) as Record<string, unknown>;
}

describe('local Todoist webhooks', () => {
  let todoist: LocalTodoist;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let userId: string;
  let token: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    todoist = await createLocalTodoist({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      webhookUrl: receiver.url,
    });
    userId = (await todoist.control.addUser()).id;
    token = (await connect(todoist, userId)).access_token;
  });

  beforeEach(() => {
    receiver.received.length = 0;
  });

  afterAll(async () => {
    await todoist.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  it('a task added in the app arrives as item:added, signed with the client secret', async () => {
    const [task] = await todoist.control.addTasks(userId, [{ content: 'Buy stamps' }]);
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    expect(signatureValid(CLIENT_SECRET, delivery)).toBe(true);
    expect(signatureValid('another-secret', delivery)).toBe(false);
    expect(delivery.headers['x-todoist-delivery-id']).toEqual(expect.any(String) as unknown);
    expect(bodyOf(delivery)).toMatchObject({
      event_name: 'item:added',
      user_id: userId,
      event_data: { id: task!.id, content: 'Buy stamps' },
      initiator: { id: userId },
      version: '10',
    });
    expect(typeof bodyOf(delivery).triggered_at).toBe('string');
  });

  it('completing a plain task sends item:completed; a recurring one item:updated with update_intent item_completed', async () => {
    const [plain, recurring] = await todoist.control.addTasks(
      userId,
      [
        { content: 'Return the library book' },
        {
          content: 'Meditate',
          dueDate: new Date().toISOString().slice(0, 10),
          dueString: 'every day',
        },
      ],
      { notify: false },
    );
    await todoist.control.completeTask(plain!.id);
    await todoist.control.completeTask(recurring!.id);
    const [completed, updated] = receiver.received.map(bodyOf);
    expect(completed).toMatchObject({
      event_name: 'item:completed',
      event_data: { id: plain!.id, checked: true },
    });
    expect(completed).not.toHaveProperty('event_data_extra');
    expect(updated).toMatchObject({
      event_name: 'item:updated',
      event_data: { id: recurring!.id, checked: false },
      event_data_extra: { update_intent: 'item_completed' },
    });
  });

  it('a close through the API is delivered too (in the background)', async () => {
    const [task] = await todoist.control.addTasks(userId, [{ content: 'Pay rent' }], {
      notify: false,
    });
    await api(todoist, token, `/tasks/${task!.id}/close`, { method: 'POST' });
    await expectEventually(() =>
      expect(receiver.received.map(bodyOf)).toContainEqual(
        expect.objectContaining({ event_name: 'item:completed' }),
      ),
    );
  });

  it('updates and deletions in the app arrive as item:updated and item:deleted', async () => {
    const [task] = await todoist.control.addTasks(userId, [{ content: 'Draft' }], {
      notify: false,
    });
    await todoist.control.updateTask(task!.id, { content: 'Final', priority: 4 });
    await todoist.control.deleteTask(task!.id);
    expect(receiver.received.map(bodyOf)).toEqual([
      expect.objectContaining({
        event_name: 'item:updated',
        event_data: expect.objectContaining({ content: 'Final', priority: 4 }) as unknown,
      }),
      expect.objectContaining({ event_name: 'item:deleted' }),
    ]);
    expect(await todoist.control.task(task!.id)).toBeNull();
  });

  it('a dropped delivery never arrives; a redelivery repeats the same body and delivery id', async () => {
    await todoist.control.dropNextWebhooks(1);
    const [task] = await todoist.control.addTasks(userId, [{ content: 'Lost and found' }]);
    expect(receiver.received).toHaveLength(0);
    const dropped = (await todoist.control.deliveries()).find((d) => d.body.includes(task!.id));
    expect(dropped?.status).toBe('dropped');

    await todoist.control.redeliver(dropped!.deliveryId);
    await todoist.control.redeliver(dropped!.deliveryId);
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(first!.headers['x-todoist-delivery-id']).toBe(dropped!.deliveryId);
    expect(second!.headers['x-todoist-delivery-id']).toBe(dropped!.deliveryId);
    expect(second!.raw).toBe(first!.raw);
    expect(signatureValid(CLIENT_SECRET, second!)).toBe(true);
  });

  it('sends nothing for a user who has not authorised the app, or revoked it', async () => {
    const stranger = (await todoist.control.addUser()).id;
    await todoist.control.addTasks(stranger, [{ content: 'Private' }]);
    expect(receiver.received).toHaveLength(0);

    const leaving = (await todoist.control.addUser()).id;
    const tokens = await connect(todoist, leaving);
    await fetch(`${todoist.apiUrl}/revoke`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    await todoist.control.addTasks(leaving, [{ content: 'After revoke' }]);
    expect(receiver.received).toHaveLength(0);
  });
});
