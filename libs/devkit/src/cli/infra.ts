// `npm run infra`: makes sure NATS, Redis and Postgres answer at their *_URLs, starting them
// (docker compose, or local binaries with data in .data/) when they do not.
import { baseEnvSchema, loadEnv } from '@oo/config';
import { DATA_DIR, ensureInfrastructure, infrastructureOf } from '../infrastructure.js';

const env = loadEnv(baseEnvSchema, process.env);
const problems = await ensureInfrastructure(infrastructureOf(env), DATA_DIR, (line) =>
  console.log(line),
);
for (const problem of problems) console.error(`✗ ${problem}`);
process.exit(problems.length ? 1 : 0);
