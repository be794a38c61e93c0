/**
 * Off-policy evaluation of every policy (or the named ones) from the tip log in DATABASE_URL:
 * the evidence to read before promoting a shadow.
 *
 *   npm run recommender:evaluate [-- --policy <name>]… [--since <ISO date>] [--user <id>] [--json]
 *
 * Exit codes: 0 done, 1 failed, 64 bad arguments, 78 bad environment.
 */
import { parseArgs } from 'node:util';
import { EnvError } from '@oo/config';
import { createPrismaAdapter } from '@oo/database';
import { loadRecommenderEnv } from '../config/env.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { DecisionLogRepository, type DecisionFilter } from './decision-log.repository.js';
import { formatEvaluationTable } from './evaluation-table.js';
import { EvaluationService } from './evaluation.service.js';
import { evaluablePolicies, isEvaluable } from './target-probability.js';

const USAGE =
  'usage: recommender:evaluate [--policy <name>]… [--since <ISO date>] [--user <id>] [--json]';

function parse(): { policies: string[]; filter: DecisionFilter; json: boolean } {
  const { values } = parseArgs({
    options: {
      policy: { type: 'string', multiple: true },
      since: { type: 'string' },
      user: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const policies = values.policy ?? evaluablePolicies();
  for (const policy of policies) {
    if (!isEvaluable(policy)) {
      throw new Error(
        `--policy '${policy}' is not a known policy (${evaluablePolicies().join(', ')})`,
      );
    }
  }
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime())) {
      throw new Error(`--since '${values.since}' is not a date (e.g. 2026-12-01T00:00:00Z)`);
    }
  }
  return { policies, filter: { since, userId: values.user }, json: values.json };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const env = loadRecommenderEnv();
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(env.DATABASE_URL, 'recommender'),
  });
  try {
    const evaluation = new EvaluationService(new DecisionLogRepository(prisma), env);
    const results = await evaluation.evaluate(args.policies, args.filter);
    if (args.json) {
      console.log(JSON.stringify(results));
    } else {
      console.log(`ε = ${env.SCORER_EPSILON} (SCORER_EPSILON); rewards per decision`);
      console.log(formatEvaluationTable(results));
    }
    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof EnvError ? 78 : 1);
  },
);
