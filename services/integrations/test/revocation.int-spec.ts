import { expectEventually } from '@oo/testing';
import {
  startIntegrationsHarness,
  testClient,
  type IntegrationsHarness,
} from './support/integrations-harness.js';

const CLIENT = testClient('oo-revoke');

/**
 * The revoke of a disconnected grant outlives the process that queued it: it waits in
 * `pending_revocation` (encrypted) while Todoist fails, and a later instance finishes it.
 * Real Postgres, Redis and NATS; the local Todoist as a process.
 */
describe('durable grant revocation', () => {
  let harness: IntegrationsHarness;

  beforeAll(async () => {
    harness = await startIntegrationsHarness('integrations_revocation', {
      client: CLIENT,
      tokenTtlSeconds: 3600,
      instances: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const startInstance = () => harness.startInstance();
  const connectedUser = (label: string) => harness.connectUser(label);

  const pendingRows = async (userId: string) =>
    (
      await harness.sql.query<Record<string, unknown>>(
        `SELECT * FROM integrations.pending_revocation WHERE user_id = $1`,
        [userId],
      )
    ).rows;

  const revokedAtTodoist = async (todoistUserId: string) =>
    (await harness.todoist.control.revokedTokens()).filter(
      (entry) => entry.userId === todoistUserId,
    );

  it('keeps a failed revoke through a restart, and a later instance revokes the grant', async () => {
    const first = await startInstance();
    const user = await connectedUser('durable');
    // Todoist is down for every request from now on.
    await harness.todoist.control.failNext(1_000_000, { status: 500 });

    await expect(
      harness.rpc.call(
        'rpc.integrations.disconnect',
        { userId: user.userId, provider: 'todoist' },
        20_000,
      ),
    ).resolves.toEqual({ ok: true });

    expect(await harness.connections.find(user.userId, 'todoist')).toBeUndefined();
    // The revoke waits, encrypted: no byte of the token in the row.
    const [row, ...more] = await expectEventually(async () => {
      const rows = await pendingRows(user.userId);
      expect(rows[0]?.['attempts']).toBeGreaterThanOrEqual(1);
      return rows;
    });
    expect(more).toEqual([]);
    for (const value of Object.values(row!)) {
      if (Buffer.isBuffer(value)) {
        expect(value.includes(Buffer.from(user.token))).toBe(false);
      } else {
        expect(String(value)).not.toContain(user.token);
      }
    }
    expect(row!['token_key_id']).toBe('k1');
    expect(await revokedAtTodoist(user.todoistUserId)).toEqual([]);

    // The instance stops (an in-memory retry would be lost), then Todoist recovers.
    await first.stop();
    await harness.todoist.control.failNext(0);
    // As if the back-off had run out while no instance was up.
    await harness.sql.query(
      `UPDATE integrations.pending_revocation SET next_attempt_at = now() WHERE user_id = $1`,
      [user.userId],
    );
    await startInstance();

    await expectEventually(
      async () => {
        expect(await revokedAtTodoist(user.todoistUserId)).toEqual([
          expect.objectContaining({ kind: 'access' }),
        ]);
        expect(await pendingRows(user.userId)).toEqual([]);
      },
      { timeoutMs: 20_000 },
    );
    // The grant is gone at Todoist: its refresh token no longer works.
    const refresh = await fetch(`${harness.todoist.oauthUrl}/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        grant_type: 'refresh_token',
        refresh_token: user.refreshToken!,
      }),
    });
    expect(refresh.status).toBe(400);
  }, 60_000);

  it('retries with back-off while Todoist fails, and deletes the row once it revokes', async () => {
    await startInstance();
    const user = await connectedUser('backoff');
    const revokes = async () =>
      (await harness.todoist.control.requests()).filter((entry) => entry.path.endsWith('/revoke'));
    const before = (await revokes()).length;
    await harness.todoist.control.failNext(2, { status: 503 });

    await harness.rpc.call('rpc.integrations.disconnect', {
      userId: user.userId,
      provider: 'todoist',
    });

    await expectEventually(
      async () => {
        expect((await revokes()).slice(before).map((entry) => entry.status)).toEqual([
          503, 503, 200,
        ]);
        expect(await pendingRows(user.userId)).toEqual([]);
      },
      { timeoutMs: 20_000 },
    );
    expect(await revokedAtTodoist(user.todoistUserId)).toHaveLength(1);
  }, 30_000);
});
