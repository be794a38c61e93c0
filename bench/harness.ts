/**
 * What every benchmark module shares. A benchmark measures and returns figures; it never
 * asserts: a slow run must not fail CI, it must show up in the printed table.
 */

export type Cell = string | number;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export interface BenchReport {
  tables: Table[];
  /** Free-form lines printed under the tables: setup, per-run figures, accounting. */
  notes: string[];
}

export interface Benchmark {
  /** Matched (substring) by the CLI filter: `npm run bench -- messaging`. */
  name: string;
  run: () => Promise<BenchReport>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Messages per second, rounded: sub-message precision is noise at these rates. */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : Number.NaN;
}

export function ratio(numerator: number, denominator: number): string {
  return denominator > 0 ? (numerator / denominator).toFixed(2) : 'n/a';
}

/** Progress goes to stderr so stdout stays the tables, fit for pasting into a README. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Rejects after `ms` unless `work` settles first; the timer is cleared either way so a finished
 * benchmark never keeps the process alive.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function formatCell(cell: Cell): string {
  return typeof cell === 'number' ? cell.toLocaleString('en-US') : cell;
}

/** A Markdown table, so the output can be pasted into a README as is. */
export function formatTable({ title, columns, rows }: Table): string {
  const cells = rows.map((row) => row.map(formatCell));
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (values: string[]): string =>
    `| ${values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [`### ${title}`, '', line(columns), rule, ...cells.map(line)].join('\n');
}

/** A positive integer from an env override such as BENCH_ROUNDS, else the default. */
export function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** `work(0 … count-1)`, at most `parallel` at a time; results in index order. */
export async function inParallel<T>(
  total: number,
  parallel: number,
  work: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, total) }, async () => {
      while (next < total) {
        const i = next;
        next += 1;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}
