import { Controller, Logger, Module, type INestMicroservice } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type StatsRequest, type StatsResponse } from '@oo/contracts';
import { createTestNats, uniqueNamespace, type TestNats } from '@oo/testing';
import {
  EventErrorPassthroughFilter,
  RpcContractPipe,
  rpcFailure,
  RpcRoute,
  RpcServer,
  SerializedReply,
  Topology,
} from '../src/index.js';

const SUBJECT = RPC.scorer.stats;
const stats: StatsResponse = { n: 2, rewardSum: 0.5, A: [[2]], b: [0.5], theta: [0.25] };

type Answer = StatsResponse | SerializedReply<StatsResponse>;

/** One handler for both transports; the user id picks how it answers. */
function answer({ userId }: StatsRequest): Answer | Promise<Answer> {
  switch (userId) {
    case 'serialized':
      return SerializedReply.of(stats);
    case 'written':
      return SerializedReply.fromJson(JSON.stringify(stats));
    case 'refused':
      throw rpcFailure('invalid_request', "policy 'x' is not a known policy", 'policy');
    case 'broken':
      throw new Error('the store is gone');
    case 'later':
      return new Promise((resolve) => setImmediate(() => resolve(stats)));
    case 'rejected':
      return Promise.reject(rpcFailure('not_found', 'no such user'));
    default:
      return stats;
  }
}

@Controller()
class StatsController {
  @MessagePattern(SUBJECT)
  async stats(@Payload(new RpcContractPipe(SUBJECT)) request: StatsRequest): Promise<Answer> {
    return answer(request);
  }
}

/** As a service registers it (libs/platform): RPC errors keep Nest's behaviour. */
@Module({
  controllers: [StatsController],
  providers: [{ provide: APP_FILTER, useClass: EventErrorPassthroughFilter }],
})
class StatsModule {}

describe('RpcRoute answers exactly as RpcServer with a @MessagePattern handler does', () => {
  let nats: TestNats;
  let nest: INestMicroservice;
  let route: RpcRoute<typeof SUBJECT>;
  const viaNest = (): string => nats.topology.wire(SUBJECT);
  const routeTopology = new Topology(uniqueNamespace('rpc_route'));
  const viaRoute = (): string => routeTopology.wire(SUBJECT);
  const outcomes: Array<{ seconds: number; errorCode?: string }> = [];

  beforeAll(async () => {
    // Nest's logger would print the handler's unexpected error twice (once per transport).
    Logger.overrideLogger(false);
    nats = await createTestNats('rpc_route');
    nest = await NestFactory.createMicroservice(StatsModule, {
      strategy: new RpcServer({
        url: nats.url,
        service: 'rpc-route-test',
        topology: nats.topology,
      }),
      logger: false,
    });
    await nest.listen();
    route = await RpcRoute.serve({
      nc: nats.nc,
      topology: routeTopology,
      service: 'rpc-route-test',
      subject: SUBJECT,
      handle: answer,
      onAnswered: ({ seconds, errorCode }) => outcomes.push({ seconds, errorCode }),
    });
  });

  afterAll(async () => {
    await route.close();
    await nest.close();
    await nats.cleanup();
  });

  const request = (data: unknown, id: unknown = 'req-1'): string =>
    JSON.stringify({ pattern: SUBJECT, data, id });

  /** The raw reply bytes from both, as text, for the same request bytes. */
  async function both(body: string): Promise<[string, string]> {
    const [nestReply, routeReply] = await Promise.all([
      nats.nc.request(viaNest(), body, { timeout: 2_000 }),
      nats.nc.request(viaRoute(), body, { timeout: 2_000 }),
    ]);
    return [nestReply.string(), routeReply.string()];
  }

  it.each([
    ['a response', request({ userId: 'u1' })],
    ['a numeric request id', request({ userId: 'u1' }, 42)],
    ['a SerializedReply of a value', request({ userId: 'serialized' })],
    ['JSON the handler wrote', request({ userId: 'written' })],
    ['a response that comes later', request({ userId: 'later' })],
    ['a contract error the handler throws', request({ userId: 'refused' })],
    ['a contract error the handler rejects with', request({ userId: 'rejected' })],
    ['an unexpected error (Internal server error)', request({ userId: 'broken' })],
    ['a request its schema refuses', request({ userId: 'a.b' })],
    ['a request missing a field', request({})],
    ['a request with an unknown field', request({ userId: 'u', typo: 1 })],
    ['data that is not an object', request('u1')],
    ['a body that is not JSON', 'not json'],
    ['JSON without an id (the bare request)', JSON.stringify({ userId: 'u1' })],
    ['JSON that is not an object', '[1,2]'],
  ])('%s', async (_, body) => {
    const [fromNest, fromRoute] = await both(body);
    expect(fromRoute).toBe(fromNest);
  });

  it('answers neither a body Nest takes for an event', async () => {
    const body = JSON.stringify({ id: '1' });
    const replies = await Promise.allSettled([
      nats.nc.request(viaNest(), body, { timeout: 300 }),
      nats.nc.request(viaRoute(), body, { timeout: 300 }),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual(['rejected', 'rejected']);
  });

  it('tells its owner how each request ended, with the error code', async () => {
    outcomes.length = 0;
    await both(request({ userId: 'u1' }));
    await both(request({ userId: 'refused' }));
    await both(request({ userId: 'broken' }));
    await both(request({ userId: 'a.b' }));
    expect(outcomes.map(({ errorCode }) => errorCode)).toEqual([
      undefined,
      'invalid_request',
      'internal',
      'invalid_request',
    ]);
    for (const { seconds } of outcomes) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('answers what is in flight when closed, then takes no more requests', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const topology = new Topology(uniqueNamespace('rpc_route_close'));
    const closing = await RpcRoute.serve({
      nc: nats.nc,
      topology,
      service: 'rpc-route-close',
      subject: SUBJECT,
      handle: async () => {
        await held;
        return stats;
      },
    });
    const inFlight = nats.nc.request(topology.wire(SUBJECT), request({ userId: 'u' }), {
      timeout: 5_000,
    });
    // The request has reached the handler once a flush (a server round trip) has come back.
    await nats.nc.flush();
    let closed = false;
    const close = closing.close().then(() => (closed = true));
    await nats.nc.flush();
    expect(closed).toBe(false);
    release();
    expect((await inFlight).json()).toEqual({ response: stats, isDisposed: true, id: 'req-1' });
    await close;
    await expect(
      nats.nc.request(topology.wire(SUBJECT), request({ userId: 'u' }), { timeout: 2_000 }),
    ).rejects.toThrow(/no responders/i);
  });
});
