import { RPC } from '@oo/contracts';
import { createTestDatabase, type TestDatabase } from '@oo/database';
import { RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import { createTestNats, freePort, readSignals, serviceTestEnv, type TestNats } from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadProfileEnv } from '../src/config/env.js';

/**
 * `signals.profile.updated.<u>`: what decides when to push, announced whole after each change
 * so the notifier keeps its own copy (profile in this process, real NATS and Postgres).
 */
describe('profile.updated', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let profile: ServiceApp;
  let rpc: RpcClient;

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['profile'] });
    nats = await createTestNats('profile_updated');
    profile = await createApp(
      loadProfileEnv(
        await serviceTestEnv(nats, { DATABASE_URL: database.url, PORT: String(await freePort()) }),
      ),
    );
    await profile.start();
    rpc = new RpcClient(nats.nc, nats.topology);
  }, 60_000);

  afterAll(async () => {
    await profile?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  const announced = (userId: string) =>
    readSignals<'profile.updated'>(nats, `signals.profile.updated.${userId}`);

  it('announces the whole push settings after each change that touches them, in order', async () => {
    const userId = 'settings_user';
    await rpc.call(RPC.profile.update, { userId, timezone: 'Europe/Berlin' }, 5_000);
    await rpc.call(RPC.profile.update, { userId, push: { enabled: true } }, 5_000);
    const last = await rpc.call(
      RPC.profile.update,
      { userId, quietHours: { start: '21:30', end: '06:45' } },
      5_000,
    );

    const events = await announced(userId);
    expect(events.map(({ data }) => data)).toEqual([
      {
        timezone: 'Europe/Berlin',
        quietHours: { start: '22:00', end: '07:00' },
        push: { enabled: false },
        updatedAt: expect.any(String) as string,
      },
      {
        timezone: 'Europe/Berlin',
        quietHours: { start: '22:00', end: '07:00' },
        push: { enabled: true },
        updatedAt: expect.any(String) as string,
      },
      {
        timezone: 'Europe/Berlin',
        quietHours: { start: '21:30', end: '06:45' },
        push: { enabled: true },
        updatedAt: last.updatedAt,
      },
    ]);
    const times = events.map(({ data }) => Date.parse(data.updatedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('announces nothing for a change that does not touch them, or one that is refused', async () => {
    const userId = 'terms_only';
    const { version } = await rpc.call(RPC.profile.legal, { document: 'terms' }, 5_000);
    await rpc.call(RPC.profile.update, { userId, acceptTerms: version }, 5_000);
    await expect(
      rpc.call(RPC.profile.update, { userId, timezone: 'Mars/Olympus_Mons' }, 5_000),
    ).rejects.toMatchObject({ code: 'invalid_request', field: 'timezone' });

    expect(await announced(userId)).toEqual([]);
  });
});
