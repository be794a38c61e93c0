import type { KeyUsage } from '../connections/connection.repository.js';

/** A table holding encrypted tokens: `connection`, `pending_revocation`. */
export interface TokenStore {
  /** Re-encrypts up to `limit` rows off old keys in one transaction; the rows done. */
  reencryptBatch(limit: number): Promise<number>;
  keyUsage(): Promise<KeyUsage>;
}

export interface RotationReport {
  activeKeyId: string;
  /** Rows this run re-encrypted under the active key. */
  rowsReencrypted: number;
  batches: number;
  /** Rows still holding a token under another key (0 after a complete run). */
  rowsOnOldKeys: number;
  /** Stored tokens per key id after the run. */
  tokensByKey: Record<string, number>;
}

export interface RotationOptions {
  /** Rows per transaction. */
  batchSize?: number;
  /** Called after each committed batch with the rows done so far. */
  onBatch?: (rowsDone: number) => void;
}

/**
 * Moves every stored token of every store onto the active key, one committed batch at a time:
 * a crash loses at most the batch in flight, and running it again continues with the rows
 * still on old keys. The report counts the stores' rows together.
 */
export async function rotateTokenKeys(
  stores: TokenStore | readonly TokenStore[],
  activeKeyId: string,
  { batchSize = 100, onBatch }: RotationOptions = {},
): Promise<RotationReport> {
  let rowsReencrypted = 0;
  let batches = 0;
  const all = Array.isArray(stores) ? (stores as readonly TokenStore[]) : [stores as TokenStore];
  for (const store of all) {
    for (;;) {
      const done = await store.reencryptBatch(batchSize);
      if (done === 0) break;
      rowsReencrypted += done;
      batches += 1;
      onBatch?.(rowsReencrypted);
    }
  }
  const tokensByKey: Record<string, number> = {};
  let rowsOnOldKeys = 0;
  for (const store of all) {
    const usage = await store.keyUsage();
    rowsOnOldKeys += usage.rowsOnOldKeys;
    for (const [keyId, tokens] of Object.entries(usage.tokensByKey)) {
      tokensByKey[keyId] = (tokensByKey[keyId] ?? 0) + tokens;
    }
  }
  const sortedTokensByKey = Object.fromEntries(
    Object.entries(tokensByKey).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { activeKeyId, rowsReencrypted, batches, rowsOnOldKeys, tokensByKey: sortedTokensByKey };
}
