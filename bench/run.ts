/**
 * Runs the benchmarks: `npm run bench` runs all of them, `npm run bench -- messaging` those
 * whose name contains one of the given words. Prints a table per benchmark and exits 0;
 * only a benchmark that could not run at all (no NATS, say) makes the exit code non-zero.
 */
import { formatTable, progress, type Benchmark } from './harness.js';
import { gatewayMe } from './gateway-me.js';
import { gatewayCpu } from './gateway-me-cpu.js';
import { integrationsBench } from './integrations.js';
import { integrationsTasksCpuBench } from './integrations-tasks-cpu.js';
import { learningSimulation } from './learning-simulation.js';
import { messagingThroughput } from './messaging-throughput.js';
import { numericsAtScale } from './numerics.js';
import { learningSuite } from './populations/learning-suite.js';
import { learningShadows } from './populations/shadow-evaluation.js';
import { pushBench } from './push.js';
import { scorerPerformance } from './scorer-performance.js';
import { scorerRebuild } from './scorer-rebuild.js';
import { tipBench } from './tip.js';
import { webBench } from './web.js';

const benchmarks: Benchmark[] = [
  { name: 'messaging-throughput', run: messagingThroughput },
  { name: 'learning-simulation', run: learningSimulation },
  { name: 'learning-suite', run: learningSuite },
  { name: 'learning-shadows', run: learningShadows },
  { name: 'scorer-performance', run: scorerPerformance },
  { name: 'numerics-1m', run: numericsAtScale },
  { name: 'scorer-rebuild', run: scorerRebuild },
  { name: 'gateway-me', run: gatewayMe },
  { name: 'gateway-cpu', run: gatewayCpu },
  { name: 'integrations', run: integrationsBench },
  { name: 'tasks-cpu', run: integrationsTasksCpuBench },
  { name: 'tip', run: tipBench },
  { name: 'web', run: webBench },
  { name: 'push', run: pushBench },
];

const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const selected = filters.length
  ? benchmarks.filter(({ name }) => filters.some((filter) => name.includes(filter)))
  : benchmarks;

if (selected.length === 0) {
  progress(
    `No benchmark matches ${filters.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

let failed = 0;
for (const benchmark of selected) {
  progress(`\n▶ ${benchmark.name}`);
  try {
    const report = await benchmark.run();
    console.log(`\n## ${benchmark.name}\n`);
    for (const table of report.tables) console.log(`${formatTable(table)}\n`);
    for (const note of report.notes) console.log(note);
  } catch (error) {
    failed += 1;
    progress(
      `✖ ${benchmark.name} could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}

// Exit explicitly: a client library's stray timer must not leave `npm run bench` hanging.
process.exit(failed ? 1 : 0);
