// `npm run infra`: makes sure NATS, Redis and Postgres answer at their *_URLs, starting them
// (docker compose, or local binaries with data in .data/) when they do not.
import { baseEnvSchema, loadEnv } from '@oo/config';
import { fileURLToPath } from 'node:url';
import { ensureInfrastructure } from '../infrastructure.js';

const env = loadEnv(baseEnvSchema, process.env);
const problems = await ensureInfrastructure(
  [
    { name: 'NATS', url: env.NATS_URL },
    { name: 'Redis', url: env.REDIS_URL },
    { name: 'Postgres', url: env.DATABASE_URL },
  ],
  fileURLToPath(new URL('../../../../.data', import.meta.url)),
  (line) => console.log(line),
);
for (const problem of problems) console.error(`✗ ${problem}`);
process.exit(problems.length ? 1 : 0);
