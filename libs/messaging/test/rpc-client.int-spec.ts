import type { Msg } from '@nats-io/transport-node';
import { RPC } from '@oo/contracts';
import { createTestNats, type TestNats } from '@oo/testing';
import { connectToNats, RpcCallError, RpcClient, type NatsConnection } from '../src/index.js';

const SUBJECT = RPC.profile.get;

/** What the caller got: the response, or the RpcCallError's code, field and message. */
const outcome = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    (response) => ({ response }),
    (error: unknown) =>
      error instanceof RpcCallError
        ? { code: error.code, field: error.field, message: error.message }
        : { error: String(error) },
  );

describe('RpcClient', () => {
  let nats: TestNats;
  let caller: NatsConnection;
  let client: RpcClient;

  beforeEach(async () => {
    nats = await createTestNats('rpc_client');
    caller = await connectToNats({ url: nats.url, name: 'rpc-client-test' });
    client = new RpcClient(caller, nats.topology);
  });

  afterEach(async () => {
    if (!caller.isClosed()) await caller.close();
    await nats.cleanup();
  });

  /** A service in Nest's wire format on the test's own connection. */
  function serve(answer: (data: unknown, message: Msg) => unknown): void {
    nats.nc.subscribe(nats.topology.wire(SUBJECT), {
      callback: (_error, message) => {
        const { id, data } = message.json<{ id: string; data: unknown }>();
        const reply = answer(data, message);
        if (reply !== undefined)
          message.respond(JSON.stringify({ id, ...reply, isDisposed: true }));
      },
    });
  }

  it('gives each of many concurrent calls its own answer, whatever order they come back in', async () => {
    const held: Array<() => void> = [];
    serve((data, message) => {
      held.push(() =>
        message.respond(JSON.stringify({ id: 'x', response: { echoed: data }, isDisposed: true })),
      );
      if (held.length === 50) for (const release of held.reverse()) release();
      return undefined;
    });
    await nats.nc.flush();
    const calls = Array.from({ length: 50 }, (_, i) =>
      client.call(SUBJECT, { userId: `user-${i}` }, 5_000),
    );
    const answers = await Promise.all(calls);
    expect(answers).toEqual(
      Array.from({ length: 50 }, (_, i) => ({ echoed: { userId: `user-${i}` } })),
    );
  });

  it("turns the service's error into an RpcCallError with its code and field", async () => {
    serve(() => ({
      err: { code: 'invalid_request', message: 'userId must be a string', field: 'userId' },
    }));
    await nats.nc.flush();
    expect(await outcome(client.call(SUBJECT, { userId: 'u' }))).toEqual({
      code: 'invalid_request',
      field: 'userId',
      message: 'userId must be a string',
    });
  });

  it('says no_responders when nobody listens', async () => {
    expect(await outcome(client.call(SUBJECT, { userId: 'u' }, 30_000))).toEqual({
      code: 'no_responders',
      field: undefined,
      message: `${SUBJECT}: no instance is listening`,
    });
  });

  it('says timeout when the service does not answer before the deadline', async () => {
    serve(() => undefined);
    await nats.nc.flush();
    expect(await outcome(client.call(SUBJECT, { userId: 'u' }, 200))).toEqual({
      code: 'timeout',
      field: undefined,
      message: `${SUBJECT}: no answer within 200 ms`,
    });
  });

  it('fails a waiting call when its connection closes instead of leaving it hanging', async () => {
    serve(() => undefined);
    await nats.nc.flush();
    const waiting = outcome(client.call(SUBJECT, { userId: 'u' }, 60_000));
    await caller.flush();
    await caller.close();
    expect(await waiting).toEqual({
      error: 'NoReplyError: the NATS connection closed before the reply',
    });
  });
});
