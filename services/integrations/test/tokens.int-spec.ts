import { randomBytes } from 'node:crypto';
import { createPrismaAdapter, createTestDatabase, type TestDatabase } from '@oo/database';
import type { ServiceApp } from '@oo/platform';
import {
  createTestNats,
  freePort,
  serviceTestEnv,
  startTsProcess,
  testInfrastructure,
} from '@oo/testing';
import pg from 'pg';
import {
  ConnectionRepository,
  type ConnectionTokens,
} from '../src/connections/connection.repository.js';
import { createApp } from '../src/app.factory.js';
import { loadIntegrationsEnv } from '../src/config/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { PendingRevocationRepository } from '../src/disconnect/pending-revocation.repository.js';
import { rotateTokenKeys } from '../src/tokens/key-rotation.js';
import { TokenCipher, TokenDecryptionError, type TokenKey } from '../src/tokens/token-cipher.js';

/**
 * Tokens at rest, against a real Postgres: what an operator with `psql` sees in the table,
 * what a key rotation leaves behind, and what happens to a ciphertext moved elsewhere.
 */
describe('OAuth tokens at rest', () => {
  const oldKey: TokenKey = { kid: 'old', key: randomBytes(32) };
  const newKey: TokenKey = { kid: 'new', key: randomBytes(32) };
  let database: TestDatabase;
  let prisma: PrismaClient;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({
      services: ['integrations'],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    prisma = new PrismaClient({ adapter: createPrismaAdapter(database.url, 'integrations') });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await prisma?.$disconnect();
    await database?.drop();
  });

  beforeEach(async () => {
    await sql.query('DELETE FROM integrations.connection');
    await sql.query('DELETE FROM integrations.pending_revocation');
  });

  const repository = (...keys: TokenKey[]) =>
    new ConnectionRepository(prisma, new TokenCipher(keys));

  function tokensOf(userId: string): ConnectionTokens {
    return {
      accessToken: `access-${userId}-${randomBytes(12).toString('hex')}`,
      refreshToken: `refresh-${userId}-${randomBytes(12).toString('hex')}`,
      accessTokenExpiresAt: new Date('2026-12-03T00:00:00Z'),
    };
  }

  async function connect(connections: ConnectionRepository, userId: string) {
    const tokens = tokensOf(userId);
    await connections.save({
      userId,
      provider: 'todoist',
      providerUserId: `td-${userId}`,
      scope: 'data:read_write',
      tokens,
    });
    return tokens;
  }

  function keysVariable(...keys: TokenKey[]): string {
    return keys.map(({ kid, key }) => `${kid}:${Buffer.from(key).toString('base64')}`).join(',');
  }

  async function keyIdsInTable(): Promise<string[]> {
    const { rows } = await sql.query<{ key_id: string }>(
      `SELECT access_token_key_id AS key_id FROM integrations.connection
       UNION ALL SELECT refresh_token_key_id FROM integrations.connection`,
    );
    return rows.map((row) => row.key_id);
  }

  it('keeps only ciphertext in the table, and no token in the connection it returns', async () => {
    const connections = repository(oldKey);
    const tokens = await connect(connections, 'user-a');

    const { rows } = await sql.query<Record<string, unknown>>(
      `SELECT * FROM integrations.connection WHERE user_id = 'user-a'`,
    );
    const row = rows[0]!;
    for (const token of [tokens.accessToken, tokens.refreshToken!]) {
      for (const value of Object.values(row)) {
        if (Buffer.isBuffer(value)) expect(value.includes(Buffer.from(token))).toBe(false);
        else expect(String(value)).not.toContain(token);
      }
    }
    expect(row['access_token_key_id']).toBe('old');
    expect((row['access_token_iv'] as Buffer).length).toBe(12);

    const connection = await connections.find('user-a', 'todoist');
    expect(connection).toMatchObject({
      providerUserId: 'td-user-a',
      status: 'ok',
      hasRefreshToken: true,
    });
    expect(JSON.stringify(connection)).not.toContain(tokens.accessToken);
    expect(JSON.stringify(connection)).not.toContain(tokens.refreshToken);
    expect(await connections.findByProviderUser('todoist', 'td-user-a')).toEqual(connection);
    expect(await connections.readTokens('user-a', 'todoist')).toEqual(tokens);
  });

  it('stores a refreshed access token and its rotated refresh token together', async () => {
    const connections = repository(oldKey);
    await connect(connections, 'user-a');
    await connections.setStatus('user-a', 'todoist', 'needs_reconnect');
    const refreshed = tokensOf('user-a');

    expect(await connections.replaceTokens('user-a', 'todoist', refreshed)).toBe(true);

    expect(await connections.readTokens('user-a', 'todoist')).toEqual(refreshed);
    expect((await connections.find('user-a', 'todoist'))?.status).toBe('ok');
    expect(await connections.replaceTokens('nobody', 'todoist', refreshed)).toBe(false);
  });

  it('rotation by the CLI leaves no row on the old key, and every token still decrypts', async () => {
    const before = repository(oldKey);
    const users = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5'];
    const stored = new Map<string, ConnectionTokens>();
    for (const userId of users) stored.set(userId, await connect(before, userId));
    // Two grants of disconnected users still waiting for their revoke.
    const pendingBefore = new PendingRevocationRepository(prisma, new TokenCipher([oldKey]));
    await prisma.$transaction(async (tx) => {
      await pendingBefore.add(tx, 'gone-1', 'todoist', 'pending-token-1');
      await pendingBefore.add(tx, 'gone-2', 'todoist', 'pending-token-2');
    });
    expect(new Set(await keyIdsInTable())).toEqual(new Set(['old']));

    const cli = startTsProcess(
      'services/integrations/src/tokens/rotate-keys.cli.ts',
      {
        DATABASE_URL: database.url,
        TOKEN_ENCRYPTION_KEYS: keysVariable(newKey, oldKey),
        LOG_LEVEL: 'silent',
      },
      { args: ['--batch-size', '2'] },
    );
    const exitCode = await cli.exited;

    const output = cli.output();
    expect({ exitCode, output }).toMatchObject({ exitCode: 0 });
    expect(output).toMatch(/rows re-encrypted\s+7 \(4 batches\)/);
    expect(output).toMatch(/rows left on old keys\s+0/);
    expect(output).not.toContain('pending-token-');
    for (const tokens of stored.values()) {
      expect(output).not.toContain(tokens.accessToken);
      expect(output).not.toContain(tokens.refreshToken);
    }
    expect(new Set(await keyIdsInTable())).toEqual(new Set(['new']));
    const pendingKeys = await sql.query<{ token_key_id: string }>(
      'SELECT token_key_id FROM integrations.pending_revocation',
    );
    expect(pendingKeys.rows.map((row) => row.token_key_id)).toEqual(['new', 'new']);
    // The old key can now be dropped from the list: everything opens with the new one alone.
    const after = repository(newKey);
    for (const [userId, tokens] of stored) {
      expect(await after.readTokens(userId, 'todoist')).toEqual(tokens);
    }
  });

  it('a rotation stopped mid-way keeps what it committed, and a rerun finishes', async () => {
    const before = repository(oldKey);
    const stored = new Map<string, ConnectionTokens>();
    for (const userId of ['user-1', 'user-2', 'user-3', 'user-4', 'user-5']) {
      stored.set(userId, await connect(before, userId));
    }
    // user-3 holds a token that cannot decrypt: the run stops in the second batch (user-3,
    // user-4), as a crash would, after the first (user-1, user-2) committed.
    await sql.query(
      `UPDATE integrations.connection AS target
          SET access_token_ciphertext = source.access_token_ciphertext,
              access_token_iv = source.access_token_iv
         FROM integrations.connection AS source
        WHERE target.user_id = 'user-3' AND source.user_id = 'user-1'`,
    );
    const rotating = repository(newKey, oldKey);

    const failure = await rotateTokenKeys(rotating, 'new', { batchSize: 2 }).catch(
      (error: unknown) => error as Error,
    );

    expect(failure).toBeInstanceOf(TokenDecryptionError);
    expect((failure as Error).message).toContain('user-3');
    expect((failure as Error).message).not.toContain(stored.get('user-1')!.accessToken);
    expect(await rotating.keyUsage()).toEqual({
      tokensByKey: { new: 4, old: 6 },
      rowsOnOldKeys: 3,
    });

    // The operator drops the damaged connection (its user reconnects); the rerun does only
    // the rows still on the old key.
    await rotating.delete('user-3', 'todoist');
    const rerun = await rotateTokenKeys(rotating, 'new', { batchSize: 2 });

    expect(rerun).toEqual({
      activeKeyId: 'new',
      rowsReencrypted: 2,
      batches: 1,
      rowsOnOldKeys: 0,
      tokensByKey: { new: 8 },
    });
    for (const userId of ['user-1', 'user-2', 'user-4', 'user-5']) {
      expect(await repository(newKey).readTokens(userId, 'todoist')).toEqual(stored.get(userId));
    }
  });

  it('rotation re-encrypts the tokens of pending revocations too, and counts them', async () => {
    const connections = repository(oldKey);
    const pendingBefore = new PendingRevocationRepository(prisma, new TokenCipher([oldKey]));
    await connect(connections, 'user-1');
    const waiting = ['revoke-me-1', 'revoke-me-2', 'revoke-me-3'];
    await prisma.$transaction(async (tx) => {
      for (const [i, token] of waiting.entries()) {
        await pendingBefore.add(tx, `gone-${i}`, 'todoist', token);
      }
    });
    const rotatingCipher = new TokenCipher([newKey, oldKey]);
    const stores = [
      new ConnectionRepository(prisma, rotatingCipher),
      new PendingRevocationRepository(prisma, rotatingCipher),
    ];
    expect((await stores[1]!.keyUsage()).rowsOnOldKeys).toBe(3);

    const report = await rotateTokenKeys(stores, 'new', { batchSize: 2 });

    expect(report).toEqual({
      activeKeyId: 'new',
      rowsReencrypted: 4,
      batches: 3,
      rowsOnOldKeys: 0,
      tokensByKey: { new: 5 },
    });
    const { rows } = await sql.query<{ token_key_id: string }>(
      'SELECT token_key_id FROM integrations.pending_revocation',
    );
    expect(rows.map((row) => row.token_key_id)).toEqual(['new', 'new', 'new']);
    // The new key alone opens them, each for its own user.
    const due = await new PendingRevocationRepository(prisma, new TokenCipher([newKey])).claimDue(
      10,
      60_000,
    );
    expect(due.map((row) => [row.userId, row.accessToken]).sort()).toEqual(
      waiting.map((token, i) => [`gone-${i}`, token]),
    );
  });

  it('a ciphertext copied into another user’s row does not decrypt (AAD)', async () => {
    const connections = repository(oldKey);
    const victim = await connect(connections, 'victim');
    await connect(connections, 'attacker');

    await sql.query(
      `UPDATE integrations.connection AS target
          SET access_token_ciphertext = source.access_token_ciphertext,
              access_token_iv = source.access_token_iv,
              access_token_key_id = source.access_token_key_id
         FROM integrations.connection AS source
        WHERE target.user_id = 'attacker' AND source.user_id = 'victim'`,
    );

    const failure = await connections
      .readTokens('attacker', 'todoist')
      .catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(TokenDecryptionError);
    expect((failure as Error).message).not.toContain(victim.accessToken);
    expect(await connections.readTokens('victim', 'todoist')).toEqual(victim);
  });

  it('a ciphertext copied into another column does not decrypt (AAD)', async () => {
    const connections = repository(oldKey);
    await connect(connections, 'user-a');

    await sql.query(
      `UPDATE integrations.connection
          SET refresh_token_ciphertext = access_token_ciphertext,
              refresh_token_iv = access_token_iv,
              refresh_token_key_id = access_token_key_id
        WHERE user_id = 'user-a'`,
    );

    await expect(connections.readTokens('user-a', 'todoist')).rejects.toThrow(
      /refresh_token of user user-a/,
    );
  });

  it('the service encrypts with the first key of TOKEN_ENCRYPTION_KEYS', async () => {
    const nats = await createTestNats('integrations_tokens');
    let service: ServiceApp | undefined;
    try {
      service = await createApp(
        loadIntegrationsEnv(
          await serviceTestEnv(nats, {
            DATABASE_URL: database.url,
            PORT: String(await freePort()),
            TOKEN_ENCRYPTION_KEYS: keysVariable(newKey, oldKey),
          }),
        ),
      );
      const tokens = await connect(service.app.get(ConnectionRepository), 'user-a');

      expect(new Set(await keyIdsInTable())).toEqual(new Set(['new']));
      expect(await repository(newKey).readTokens('user-a', 'todoist')).toEqual(tokens);
    } finally {
      await service?.stop();
      await nats.cleanup();
    }
  });
});
