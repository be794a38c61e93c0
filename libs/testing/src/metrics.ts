/**
 * One sample of a service's /metrics: the value of the first line starting with `series`
 * (e.g. `oo_scorer_feedback_events_total{outcome="applied"`), 0 when absent.
 */
export async function readMetric(baseUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(series));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
