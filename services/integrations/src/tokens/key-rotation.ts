import type { ConnectionRepository } from '../connections/connection.repository.js';

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
 * Moves every stored token onto the active key, one committed batch at a time: a crash loses
 * at most the batch in flight, and running it again continues with the rows still on old keys.
 */
export async function rotateTokenKeys(
  connections: ConnectionRepository,
  activeKeyId: string,
  { batchSize = 100, onBatch }: RotationOptions = {},
): Promise<RotationReport> {
  let rowsReencrypted = 0;
  let batches = 0;
  for (;;) {
    const done = await connections.reencryptBatch(batchSize);
    if (done === 0) break;
    rowsReencrypted += done;
    batches += 1;
    onBatch?.(rowsReencrypted);
  }
  const usage = await connections.keyUsage();
  return { activeKeyId, rowsReencrypted, batches, ...usage };
}
