/**
 * Re-encrypts every stored OAuth token (connections and pending revocations) under the active
 * key (the first of TOKEN_ENCRYPTION_KEYS), in batches of one transaction each; safe to interrupt and rerun.
 * Prints counts and key ids only, never a token.
 *
 *   npm run integrations:rotate-keys [-- --batch-size 100] [--json]
 *
 * Exit codes: 0 done, 1 failed (e.g. a row under a key no longer listed), 64 bad arguments,
 * 78 bad environment.
 */
import { parseArgs } from 'node:util';
import { EnvError } from '@oo/config';
import { createPrismaAdapter } from '@oo/database';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { PendingRevocationRepository } from '../disconnect/pending-revocation.repository.js';
import { loadIntegrationsEnv } from '../config/env.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { rotateTokenKeys, type RotationReport } from './key-rotation.js';
import { TokenCipher } from './token-cipher.js';

const USAGE = 'usage: integrations:rotate-keys [--batch-size <rows>] [--json]';

function parse(): { batchSize: number; json: boolean } {
  const { values } = parseArgs({
    options: {
      'batch-size': { type: 'string', default: '100' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new Error('--batch-size must be an integer from 1 to 10000');
  }
  return { batchSize, json: values.json };
}

function print(report: RotationReport): void {
  console.log(`active key                ${report.activeKeyId}`);
  console.log(`rows re-encrypted         ${report.rowsReencrypted} (${report.batches} batches)`);
  console.log(`rows left on old keys     ${report.rowsOnOldKeys}`);
  for (const [keyId, tokens] of Object.entries(report.tokensByKey)) {
    const role = keyId === report.activeKeyId ? 'active' : 'old';
    console.log(`  tokens under ${keyId} (${role})`.padEnd(26) + ` ${tokens}`);
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const env = loadIntegrationsEnv();
  const cipher = new TokenCipher(env.TOKEN_ENCRYPTION_KEYS);
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(env.DATABASE_URL, 'integrations'),
  });
  try {
    const report = await rotateTokenKeys(
      [new ConnectionRepository(prisma, cipher), new PendingRevocationRepository(prisma, cipher)],
      cipher.activeKeyId,
      {
        batchSize: args.batchSize,
        onBatch: (done) => {
          if (!args.json) console.log(`re-encrypted ${done} rows`);
        },
      },
    );
    if (args.json) console.log(JSON.stringify(report));
    else print(report);
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Our errors name key ids and users, never token bytes; others are cut to their message.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof EnvError ? 78 : 1);
  },
);
