import { rpcFailure } from '@oo/messaging';

/** The longest range one call reports: SIGNALS keeps 400 days of history too. */
export const MAX_METRICS_DAYS = 400;

const DAY_MS = 86_400_000;

/**
 * The UTC days from `since` (included) to `until` (excluded), as `YYYY-MM-DD`. The schema has
 * already checked that both are dates; this checks the range, naming `until` when it is wrong.
 */
export function metricsDays(since: string, until: string): string[] {
  const first = Date.parse(`${since}T00:00:00Z`);
  const end = Date.parse(`${until}T00:00:00Z`);
  if (end <= first) {
    throw rpcFailure('invalid_request', 'until must be a day after since', 'until');
  }
  const count = (end - first) / DAY_MS;
  if (count > MAX_METRICS_DAYS) {
    throw rpcFailure(
      'invalid_request',
      `until may be at most ${MAX_METRICS_DAYS} days after since (asked for ${count})`,
      'until',
    );
  }
  return Array.from({ length: count }, (_, i) =>
    new Date(first + i * DAY_MS).toISOString().slice(0, 10),
  );
}
