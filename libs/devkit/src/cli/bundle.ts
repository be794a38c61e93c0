// `npm run bundle -- <service|migrate> [--out <dir>]`: compiles the workspace (npm run build),
// then stages what production runs for one service (or the migrator) into dist/<target>/ (or
// <dir>): compiled code and production dependencies only, started with `node main.js`.
// deploy/Dockerfile runs exactly this; so does deploy/test/production-bundle.int-spec.ts.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { compileWorkspace } from '../build/compile.js';
import { BUNDLE_TARGETS, stageBundle } from '../build/stage-bundle.js';
import { REPO_ROOT } from '../ts-process.js';
import { buildWebApp } from '../web-build.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error(`Usage: npm run bundle -- <${BUNDLE_TARGETS.join('|')}> [--out <dir>]`);
  process.exit(2);
}
const target = positionals[0]!;
const outDir = resolve(values.out ?? resolve(REPO_ROOT, 'dist', target));

try {
  const started = performance.now();
  await compileWorkspace(REPO_ROOT);
  if (target === 'gateway') await buildWebApp({ force: true });
  const bundle = await stageBundle(REPO_ROOT, target, outDir);
  console.log(
    `bundled ${target} into ${bundle.outDir}: ${bundle.projects.join(', ')} + ${bundle.packages} packages ` +
      `in ${Math.round(performance.now() - started)} ms; run it with: node main.js`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
