import { SERVICES_HOLDING_USER_DATA } from '@oo/config';
import { createEnvelope } from '@oo/contracts';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { EventConsumer, EventPublisher, InvalidEventError, RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  expectEventually,
  freePort,
  readDeadLetters,
  taskSyncedData,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import { pino } from 'pino';
import { createApp } from '../src/app.factory.js';
import { loadProfileEnv } from '../src/config/env.js';

/**
 * The end of the deletion saga, with profile in this process and the other services' part
 * played by the test: their confirmations, and a consumer of theirs that dead-lettered an
 * event of the user (the full system runs in services/gateway/test/deletion.int-spec.ts).
 */
describe('the deletion saga', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let profile: ServiceApp;
  let rejecter: EventConsumer;
  let publisher: EventPublisher;
  let rpc: RpcClient;

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['profile'] });
    nats = await createTestNats('profile_deletion');
    profile = await createApp(
      loadProfileEnv(
        await serviceTestEnv(nats, { DATABASE_URL: database.url, PORT: String(await freePort()) }),
      ),
    );
    await profile.start();
    publisher = new EventPublisher(nats.js, nats.topology);
    rpc = new RpcClient(nats.nc, nats.topology);
    // A consumer of another service that can never handle task.synced: every one goes to
    // DEADLETTER, payload (task titles) and all.
    rejecter = new EventConsumer(
      nats.js,
      nats.jsm,
      nats.topology,
      {
        service: 'integrations',
        type: 'task.synced',
        handler: () => Promise.reject(new InvalidEventError('cannot handle this sync')),
      },
      pino({ level: 'silent' }),
    );
    await rejecter.start();
  }, 60_000);

  afterAll(async () => {
    await rejecter.stop();
    await profile.stop();
    await nats.cleanup();
    await database.drop();
  });

  async function signalsOf(userId: string): Promise<number> {
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: nats.topology.wire(`signals.*.*.${userId}`),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  it('purges the user’s dead letters with their signals, and no one else’s', async () => {
    const [gone, stays] = ['gone_user', 'stays_user'];
    for (const userId of [gone, stays]) {
      await publisher.publish(
        'task.synced',
        userId,
        taskSyncedData(1, {
          tasks: [{ ...taskSyncedData(1).tasks[0]!, title: `Secret plan of ${userId}` }],
        }),
      );
    }
    const deadLetterOf = (userId: string) =>
      `deadletter.integrations.signals.task.synced.${userId}`;
    await expectEventually(async () =>
      expect((await readDeadLetters(nats)).map((letter) => letter.subject).sort()).toEqual([
        deadLetterOf(gone),
        deadLetterOf(stays),
      ]),
    );

    // A generous deadline: the first request opens Postgres connections on a shared machine.
    await rpc.call('rpc.profile.delete', { userId: gone }, 10_000);
    // Profile confirms its own purge; the others confirm as their erasure consumers would.
    for (const service of SERVICES_HOLDING_USER_DATA.filter((name) => name !== 'profile')) {
      await publisher.publishEnvelope(createEnvelope('user.purged', gone, { service }));
    }
    await expectEventually(async () =>
      expect(await rpc.call('rpc.profile.deletion_status', { userId: gone }, 5000)).toMatchObject({
        status: 'done',
      }),
    );

    const letters = await readDeadLetters(nats);
    expect(letters.map((letter) => letter.subject)).toEqual([deadLetterOf(stays)]);
    expect(letters.some((letter) => letter.body.includes(gone))).toBe(false);
    expect(letters[0]!.body).toContain(`Secret plan of ${stays}`);
    expect(await signalsOf(gone)).toBe(0);
    expect(await signalsOf(stays)).toBe(1);
  });

  it('counts a confirmation that overtook its request', async () => {
    const userId = 'quick_user';
    // A service can purge and confirm before profile's request row is committed (the event is
    // published inside the request's transaction); here the confirmations come first outright.
    for (const service of SERVICES_HOLDING_USER_DATA.filter((name) => name !== 'profile')) {
      await publisher.publishEnvelope(createEnvelope('user.purged', userId, { service }));
    }
    // Profile has met them (and sent them back to wait) before the request exists.
    await expectEventually(async () => {
      const info = await nats.jsm.consumers.info(
        nats.topology.signalsStream,
        'profile__user_purged',
      );
      expect(info.num_redelivered).toBeGreaterThan(0);
    });
    await rpc.call('rpc.profile.delete', { userId }, 10_000);
    await expectEventually(
      async () =>
        expect(await rpc.call('rpc.profile.deletion_status', { userId }, 5000)).toMatchObject({
          status: 'done',
          waitingFor: [],
        }),
      { timeoutMs: 15_000 },
    );
    expect((await readDeadLetters(nats)).some((letter) => letter.body.includes(userId))).toBe(
      false,
    );
  });
});
