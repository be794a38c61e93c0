import { Injectable, Logger } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type { ConnectionStatus } from '../generated/prisma/enums.js';
import { TokenCipher, type SealedToken, type TokenColumn } from '../tokens/token-cipher.js';

export type { ConnectionStatus };

/**
 * A connection as the service passes it around: no token in it, so it can go into a log, an
 * event or an RPC reply. Tokens come only from `readTokens`, at the moment they are used.
 */
export interface Connection {
  userId: string;
  provider: string;
  providerUserId: string;
  status: ConnectionStatus;
  scope: string;
  connectedAt: Date;
  lastSyncAt: Date | null;
  accessTokenExpiresAt: Date | null;
  hasRefreshToken: boolean;
  updatedAt: Date;
}

/** A connection's tokens in the clear: decrypted for one call to the provider, never kept. */
export interface ConnectionTokens {
  accessToken: string;
  /** Null when the provider issued none. */
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
}

/** The Prisma client inside `$transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface NewConnection {
  userId: string;
  provider: string;
  providerUserId: string;
  scope: string;
  tokens: ConnectionTokens;
}

/** Rows that still hold a token under a key other than the active one, per key id. */
export interface KeyUsage {
  /** Tokens (not rows) per key id, the active key included. */
  tokensByKey: Record<string, number>;
  /** Rows with at least one token not under the active key. */
  rowsOnOldKeys: number;
}

interface SealedColumns {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  keyId: string;
}

interface StaleRow {
  user_id: string;
  provider: string;
  access_token_ciphertext: Uint8Array;
  access_token_iv: Uint8Array;
  access_token_key_id: string;
  refresh_token_ciphertext: Uint8Array | null;
  refresh_token_iv: Uint8Array | null;
  refresh_token_key_id: string | null;
}

/** The access token's three columns of a raw row, as the cipher takes them. */
function sealedAccess(
  row: Pick<StaleRow, 'access_token_ciphertext' | 'access_token_iv' | 'access_token_key_id'>,
): SealedToken {
  return {
    ciphertext: row.access_token_ciphertext,
    iv: row.access_token_iv,
    keyId: row.access_token_key_id,
  };
}

/** The refresh token's three columns of a raw row; undefined when the provider issued none. */
function sealedRefresh(
  row: Pick<StaleRow, 'refresh_token_ciphertext' | 'refresh_token_iv' | 'refresh_token_key_id'>,
): SealedToken | undefined {
  return row.refresh_token_ciphertext && row.refresh_token_iv && row.refresh_token_key_id
    ? {
        ciphertext: row.refresh_token_ciphertext,
        iv: row.refresh_token_iv,
        keyId: row.refresh_token_key_id,
      }
    : undefined;
}

const WITHOUT_TOKENS = {
  userId: true,
  provider: true,
  providerUserId: true,
  status: true,
  scope: true,
  connectedAt: true,
  lastSyncAt: true,
  accessTokenExpiresAt: true,
  refreshTokenKeyId: true,
  updatedAt: true,
} as const;

/**
 * Connections (Postgres schema `integrations`, table `connection`). Tokens go in and out only
 * through the TokenCipher: the table holds ciphertext, and the `Connection` this returns holds
 * no token at all.
 */
@Injectable()
export class ConnectionRepository {
  private readonly logger = new Logger(ConnectionRepository.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: TokenCipher,
  ) {}

  /** Creates the connection, or replaces it when the user connects again (status back to ok). */
  async save(connection: NewConnection, now: Date = new Date()): Promise<Connection> {
    const { userId, provider, providerUserId, scope, tokens } = connection;
    const fields = {
      providerUserId,
      scope,
      status: 'ok' as const,
      connectedAt: now,
      ...this.sealAll(userId, provider, tokens),
    };
    const row = await this.prisma.connection.upsert({
      where: { userId_provider: { userId, provider } },
      create: { userId, provider, ...fields },
      update: fields,
      select: WITHOUT_TOKENS,
    });
    return toConnection(row);
  }

  async find(userId: string, provider: string): Promise<Connection | undefined> {
    const row = await this.prisma.connection.findUnique({
      where: { userId_provider: { userId, provider } },
      select: WITHOUT_TOKENS,
    });
    return row ? toConnection(row) : undefined;
  }

  /** The connection a webhook is about: providers name users by their own ids. */
  async findByProviderUser(
    provider: string,
    providerUserId: string,
  ): Promise<Connection | undefined> {
    const row = await this.prisma.connection.findUnique({
      where: { provider_providerUserId: { provider, providerUserId } },
      select: WITHOUT_TOKENS,
    });
    return row ? toConnection(row) : undefined;
  }

  async list(userId: string): Promise<Connection[]> {
    const rows = await this.prisma.connection.findMany({
      where: { userId },
      select: WITHOUT_TOKENS,
      orderBy: { provider: 'asc' },
    });
    return rows.map(toConnection);
  }

  /** The tokens in the clear, for a call to the provider; undefined when not connected. */
  async readTokens(userId: string, provider: string): Promise<ConnectionTokens | undefined> {
    const row = await this.prisma.connection.findUnique({
      where: { userId_provider: { userId, provider } },
    });
    if (!row) return undefined;
    const refresh =
      row.refreshTokenCiphertext && row.refreshTokenIv && row.refreshTokenKeyId
        ? {
            ciphertext: row.refreshTokenCiphertext,
            iv: row.refreshTokenIv,
            keyId: row.refreshTokenKeyId,
          }
        : undefined;
    return {
      accessToken: this.cipher.decrypt(
        {
          ciphertext: row.accessTokenCiphertext,
          iv: row.accessTokenIv,
          keyId: row.accessTokenKeyId,
        },
        { userId, provider, column: 'access_token' },
      ),
      refreshToken: refresh
        ? this.cipher.decrypt(refresh, { userId, provider, column: 'refresh_token' })
        : null,
      accessTokenExpiresAt: row.accessTokenExpiresAt,
    };
  }

  /**
   * Stores a refreshed access token together with the refresh token that came with it, in
   * one statement: a crash cannot leave the new access token beside a refresh token the
   * provider has already rotated away. Sets the status back to ok. False when the
   * connection is gone (disconnected meanwhile).
   */
  async replaceTokens(
    userId: string,
    provider: string,
    tokens: ConnectionTokens,
  ): Promise<boolean> {
    const updated = await this.prisma.connection.updateMany({
      where: { userId, provider },
      data: { status: 'ok', ...this.sealAll(userId, provider, tokens) },
    });
    return updated.count === 1;
  }

  /**
   * Stores the tokens a refresh with `usedRefreshToken` returned — access token, its expiry and
   * the rotated refresh token in one update — only if the row still holds `usedRefreshToken`
   * (the row is locked and compared in one transaction; comparing the decrypted value, not the
   * ciphertext, so a key rotation in between does not count as a change). `superseded`: another
   * instance refreshed first and its tokens are the ones to use; `gone`: disconnected meanwhile.
   * Sets the status back to ok.
   */
  async replaceRefreshedTokens(
    userId: string,
    provider: string,
    usedRefreshToken: string,
    tokens: ConnectionTokens,
  ): Promise<'stored' | 'superseded' | 'gone'> {
    return this.prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<
        Array<
          Pick<StaleRow, 'refresh_token_ciphertext' | 'refresh_token_iv' | 'refresh_token_key_id'>
        >
      >`
        SELECT refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id
          FROM connection
         WHERE user_id = ${userId} AND provider = ${provider}
           FOR UPDATE`;
      if (!row) return 'gone';
      const sealed = sealedRefresh(row);
      const stored = sealed
        ? this.cipher.decrypt(sealed, { userId, provider, column: 'refresh_token' })
        : null;
      if (stored !== usedRefreshToken) return 'superseded';
      await tx.connection.update({
        where: { userId_provider: { userId, provider } },
        data: { status: 'ok', ...this.sealAll(userId, provider, tokens) },
      });
      return 'stored';
    });
  }

  async setStatus(userId: string, provider: string, status: ConnectionStatus): Promise<void> {
    await this.prisma.connection.updateMany({ where: { userId, provider }, data: { status } });
  }

  async markSynced(userId: string, provider: string, at: Date): Promise<void> {
    await this.prisma.connection.updateMany({
      where: { userId, provider },
      data: { lastSyncAt: at, status: 'ok' },
    });
  }

  /**
   * The access tokens of the user's connections to `providers`, read inside `tx` with the rows
   * locked (a refresh cannot swap the token between this read and the caller's delete). A
   * token that no longer decrypts is left out with a warning: it can only be deleted.
   */
  async takeAccessTokens(
    tx: Transaction,
    userId: string,
    providers: readonly string[],
  ): Promise<Array<{ provider: string; accessToken: string }>> {
    if (providers.length === 0) return [];
    const rows = await tx.$queryRaw<
      Array<
        Pick<
          StaleRow,
          'provider' | 'access_token_ciphertext' | 'access_token_iv' | 'access_token_key_id'
        >
      >
    >`
      SELECT provider, access_token_ciphertext, access_token_iv, access_token_key_id
        FROM connection
       WHERE user_id = ${userId} AND provider = ANY(${[...providers]})
         FOR UPDATE`;
    const tokens: Array<{ provider: string; accessToken: string }> = [];
    for (const row of rows) {
      try {
        tokens.push({
          provider: row.provider,
          accessToken: this.cipher.decrypt(sealedAccess(row), {
            userId,
            provider: row.provider,
            column: 'access_token',
          }),
        });
      } catch (error) {
        this.logger.warn(`cannot revoke ${row.provider} for ${userId}: ${(error as Error).name}`);
      }
    }
    return tokens;
  }

  /** Forgets the connection and its tokens; true when there was one. */
  async delete(userId: string, provider: string): Promise<boolean> {
    const deleted = await this.prisma.connection.deleteMany({ where: { userId, provider } });
    return deleted.count > 0;
  }

  /**
   * Re-encrypts under the active key up to `limit` rows that hold a token under another key,
   * in one transaction (rows locked, so a concurrent token refresh is not overwritten with
   * the older token). Returns the rows done; 0 when none is left.
   */
  async reencryptBatch(limit: number): Promise<number> {
    const active = this.cipher.activeKeyId;
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<StaleRow[]>`
        SELECT user_id, provider,
               access_token_ciphertext, access_token_iv, access_token_key_id,
               refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id
          FROM connection
         WHERE access_token_key_id <> ${active} OR refresh_token_key_id <> ${active}
         ORDER BY user_id, provider
         LIMIT ${limit}
           FOR UPDATE`;
      for (const row of rows) {
        const place = { userId: row.user_id, provider: row.provider };
        const access = this.cipher.reencrypt(sealedAccess(row), {
          ...place,
          column: 'access_token',
        });
        const sealedRefreshToken = sealedRefresh(row);
        const refresh = sealedRefreshToken
          ? this.cipher.reencrypt(sealedRefreshToken, { ...place, column: 'refresh_token' })
          : undefined;
        await tx.connection.update({
          where: { userId_provider: place },
          data: {
            ...columns('accessToken', access),
            ...(refresh ? columns('refreshToken', refresh) : {}),
          },
        });
      }
      return rows.length;
    });
  }

  /** Which keys the stored tokens are under, for the rotation report. */
  async keyUsage(): Promise<KeyUsage> {
    const active = this.cipher.activeKeyId;
    const [tokens, [rows]] = await Promise.all([
      this.prisma.$queryRaw<Array<{ key_id: string; tokens: bigint }>>`
        SELECT key_id, count(*) AS tokens FROM (
          SELECT access_token_key_id AS key_id FROM connection
          UNION ALL
          SELECT refresh_token_key_id FROM connection WHERE refresh_token_key_id IS NOT NULL
        ) AS stored GROUP BY key_id ORDER BY key_id`,
      this.prisma.$queryRaw<Array<{ rows: bigint }>>`
        SELECT count(*) AS rows FROM connection
         WHERE access_token_key_id <> ${active} OR refresh_token_key_id <> ${active}`,
    ]);
    return {
      tokensByKey: Object.fromEntries(tokens.map((entry) => [entry.key_id, Number(entry.tokens)])),
      rowsOnOldKeys: Number(rows?.rows ?? 0),
    };
  }

  private sealAll(userId: string, provider: string, tokens: ConnectionTokens) {
    const seal = (token: string, column: TokenColumn): SealedToken =>
      this.cipher.encrypt(token, { userId, provider, column });
    return {
      ...columns('accessToken', seal(tokens.accessToken, 'access_token')),
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      ...(tokens.refreshToken === null
        ? { refreshTokenCiphertext: null, refreshTokenIv: null, refreshTokenKeyId: null }
        : columns('refreshToken', seal(tokens.refreshToken, 'refresh_token'))),
    };
  }
}

/** A sealed token as the three columns `<prefix>Ciphertext`, `<prefix>Iv`, `<prefix>KeyId`. */
function columns<P extends 'accessToken' | 'refreshToken'>(
  prefix: P,
  sealed: SealedColumns,
): Record<`${P}Ciphertext` | `${P}Iv`, Uint8Array<ArrayBuffer>> & Record<`${P}KeyId`, string> {
  return {
    [`${prefix}Ciphertext`]: new Uint8Array(sealed.ciphertext),
    [`${prefix}Iv`]: new Uint8Array(sealed.iv),
    [`${prefix}KeyId`]: sealed.keyId,
  } as Record<`${P}Ciphertext` | `${P}Iv`, Uint8Array<ArrayBuffer>> & Record<`${P}KeyId`, string>;
}

/** A row as read (never with ciphertext): the connection, and whether a refresh token is kept. */
type ConnectionRow = Omit<Connection, 'hasRefreshToken'> & { refreshTokenKeyId: string | null };

function toConnection(row: ConnectionRow): Connection {
  const { refreshTokenKeyId, ...connection } = row;
  return { ...connection, hasRefreshToken: refreshTokenKeyId !== null };
}
