import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import type { KeyUsage, Transaction } from '../connections/connection.repository.js';
import { TokenCipher, type TokenPlace } from '../tokens/token-cipher.js';

/** A revoke to attempt now, with its token in the clear for that one call. */
export interface DueRevocation {
  id: string;
  userId: string;
  provider: string;
  /** Null when the stored token no longer decrypts: the row can only be dropped. */
  accessToken: string | null;
  /** Attempts including this one. */
  attempts: number;
  createdAt: Date;
}

interface PendingRow {
  id: string;
  user_id: string;
  provider: string;
  token_ciphertext: Uint8Array;
  token_iv: Uint8Array;
  token_key_id: string;
  attempts: number;
  created_at: Date;
}

const place = (userId: string, provider: string): TokenPlace => ({
  userId,
  provider,
  column: 'pending_revocation_token',
});

/**
 * `pending_revocation`: grants to revoke at the provider, their access token only encrypted
 * (TokenCipher, AAD bound to user, provider and column). Rows are claimed with a lease, so
 * several instances work them off without revoking twice at once, and a crashed claim is
 * taken again when its lease ends.
 */
@Injectable()
export class PendingRevocationRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: TokenCipher,
  ) {}

  /** Queues a revoke inside the caller's transaction (the one deleting the connection). */
  async add(tx: Transaction, userId: string, provider: string, accessToken: string) {
    const sealed = this.cipher.encrypt(accessToken, place(userId, provider));
    await tx.pendingRevocation.create({
      data: {
        id: randomUUID(),
        userId,
        provider,
        tokenCiphertext: new Uint8Array(sealed.ciphertext),
        tokenIv: new Uint8Array(sealed.iv),
        tokenKeyId: sealed.keyId,
      },
    });
  }

  /** Queues a revoke on its own (nothing else to commit with it); the worker's poll finds it. */
  async queue(userId: string, provider: string, accessToken: string): Promise<void> {
    await this.add(this.prisma, userId, provider, accessToken);
  }

  /**
   * Takes up to `limit` due rows: their next attempt moves `leaseMs` ahead (another instance
   * leaves them alone meanwhile) and their attempt count goes up. A row whose token does not
   * decrypt is returned without one (`accessToken: null`): it can only be dropped.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueRevocation[]> {
    const rows = await this.prisma.$queryRaw<PendingRow[]>`
      UPDATE pending_revocation
         SET attempts = attempts + 1,
             next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
       WHERE id IN (SELECT id FROM pending_revocation
                     WHERE next_attempt_at <= now()
                     ORDER BY next_attempt_at
                     LIMIT ${limit}
                       FOR UPDATE SKIP LOCKED)
      RETURNING id, user_id, provider, token_ciphertext, token_iv, token_key_id,
                attempts, created_at`;
    return rows.map((row) => {
      let accessToken: string | null;
      try {
        accessToken = this.cipher.decrypt(
          { ciphertext: row.token_ciphertext, iv: row.token_iv, keyId: row.token_key_id },
          place(row.user_id, row.provider),
        );
      } catch {
        accessToken = null;
      }
      return {
        id: row.id,
        userId: row.user_id,
        provider: row.provider,
        accessToken,
        attempts: row.attempts,
        createdAt: row.created_at,
      };
    });
  }

  async remove(id: string): Promise<void> {
    await this.prisma.pendingRevocation.deleteMany({ where: { id } });
  }

  async retryAt(id: string, at: Date): Promise<void> {
    await this.prisma.pendingRevocation.updateMany({ where: { id }, data: { nextAttemptAt: at } });
  }

  /** When the earliest row is due; undefined when none is pending. */
  async nextDue(): Promise<Date | undefined> {
    const first = await this.prisma.pendingRevocation.findFirst({
      orderBy: { nextAttemptAt: 'asc' },
      select: { nextAttemptAt: true },
    });
    return first?.nextAttemptAt;
  }

  /** Re-encrypts up to `limit` rows not under the active key, in one transaction. */
  async reencryptBatch(limit: number): Promise<number> {
    const active = this.cipher.activeKeyId;
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<PendingRow[]>`
        SELECT id, user_id, provider, token_ciphertext, token_iv, token_key_id
          FROM pending_revocation
         WHERE token_key_id <> ${active}
         ORDER BY id
         LIMIT ${limit}
           FOR UPDATE`;
      for (const row of rows) {
        const sealed = this.cipher.reencrypt(
          { ciphertext: row.token_ciphertext, iv: row.token_iv, keyId: row.token_key_id },
          place(row.user_id, row.provider),
        );
        await tx.pendingRevocation.update({
          where: { id: row.id },
          data: {
            tokenCiphertext: new Uint8Array(sealed.ciphertext),
            tokenIv: new Uint8Array(sealed.iv),
            tokenKeyId: sealed.keyId,
          },
        });
      }
      return rows.length;
    });
  }

  async keyUsage(): Promise<KeyUsage> {
    const active = this.cipher.activeKeyId;
    const byKey = await this.prisma.pendingRevocation.groupBy({
      by: ['tokenKeyId'],
      _count: { _all: true },
    });
    return {
      tokensByKey: Object.fromEntries(byKey.map((entry) => [entry.tokenKeyId, entry._count._all])),
      rowsOnOldKeys: byKey
        .filter((entry) => entry.tokenKeyId !== active)
        .reduce((sum, entry) => sum + entry._count._all, 0),
    };
  }
}
