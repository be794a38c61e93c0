import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RPC, type SyncedTask } from '@oo/contracts';
import type { RpcClient } from '@oo/messaging';
import { expectEventually } from './expect-eventually.js';

/** What these helpers need of a local Todoist, in-process or a process. */
export interface TodoistEndpoints {
  oauthUrl: string;
}

/**
 * Connects `userId` to a local Todoist user through integrations' own RPCs, as the gateway's
 * connect flow drives them (connect_url → Allow on the consent page → complete), then waits
 * until integrations answers the user's tasks. For tests of what comes after connecting.
 */
export async function connectTodoistByRpc(
  rpc: RpcClient,
  todoist: TodoistEndpoints,
  userId: string,
  todoistUserId: string,
  expectedTasks: number,
): Promise<SyncedTask[]> {
  const sessionId = `session-${randomUUID()}`;
  const provider = 'todoist';
  const { url } = await rpc.call(RPC.integrations.connectUrl, { userId, sessionId, provider });
  const authorize = new URL(url);
  const decision = await fetch(`${todoist.oauthUrl}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      ...Object.fromEntries(authorize.searchParams),
      decision: 'allow',
      user_id: todoistUserId,
    }),
    redirect: 'manual',
  });
  const back = new URL(decision.headers.get('location') ?? 'http://invalid/');
  const code = back.searchParams.get('code');
  const state = back.searchParams.get('state');
  if (decision.status !== 302 || !code || !state) {
    throw new Error(`the local Todoist's consent answered ${decision.status}`);
  }
  const done = await rpc.call(
    RPC.integrations.complete,
    { userId, sessionId, provider, state, code },
    30_000,
  );
  if (done.outcome !== 'connected') throw new Error(`connect ended ${done.error ?? done.outcome}`);
  let tasks: SyncedTask[] = [];
  await expectEventually(async () => {
    ({ tasks } = await rpc.call(RPC.integrations.tasks, { userId }, 5_000));
    if (tasks.length !== expectedTasks) {
      throw new Error(`integrations has ${tasks.length} tasks of the user, not ${expectedTasks}`);
    }
  });
  return tasks;
}

/** A stand-in for the gateway's `POST /webhooks/todoist`: forwards deliveries as it does. */
export interface WebhookForwarder {
  url: string;
  close(): Promise<void>;
}

/**
 * Receives the local Todoist's webhook deliveries and hands them to `rpc.integrations.webhook`
 * (what the gateway's webhook route does), for tests that run integrations without a gateway.
 */
export async function startWebhookForwarder(rpc: RpcClient): Promise<WebhookForwarder> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name.toLowerCase(),
          Array.isArray(value) ? value.join(', ') : String(value ?? ''),
        ]),
      );
      rpc
        .call(
          RPC.integrations.webhook,
          { provider: 'todoist', headers, rawBody: Buffer.concat(chunks).toString('base64') },
          5_000,
        )
        .then(
          () => response.writeHead(200).end(),
          () => response.writeHead(503).end(),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/todoist`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
