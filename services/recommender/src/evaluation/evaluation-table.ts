import type { Interval } from '@oo/learning';
import type { PolicyEvaluation } from './policy-evaluation.js';

const COLUMNS = [
  'policy',
  'decisions',
  'skipped',
  'pending',
  'no outcome',
  'IPS [95 % CI]',
  'SNIPS [95 % CI]',
  'ESS',
  'on-policy mean (n)',
] as const;

/** Text columns align left, numbers right. */
const LEFT_ALIGNED = new Set<string>(['policy']);

function number(value: number | null, digits = 3): string {
  return value === null ? '–' : value.toFixed(digits);
}

function interval({ estimate, low, high }: Interval): string {
  if (estimate === null) return '–';
  return low === null || high === null
    ? `${number(estimate)} [–]`
    : `${number(estimate)} [${number(low)}, ${number(high)}]`;
}

/** The operator's table: one row per policy, columns padded to their widest cell. */
export function formatEvaluationTable(results: readonly PolicyEvaluation[]): string {
  const rows = results.map((result) => [
    result.policy,
    String(result.decisions),
    String(result.skipped),
    String(result.pending),
    String(result.noOutcome),
    interval(result.ips),
    interval(result.snips),
    result.effectiveSampleSize.toFixed(1),
    `${number(result.onPolicy.meanReward)} (${result.onPolicy.decisions})`,
  ]);
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        LEFT_ALIGNED.has(COLUMNS[column]!)
          ? cell.padEnd(widths[column]!)
          : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)].join('\n');
}
