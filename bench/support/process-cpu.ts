/**
 * CPU time the processes a bench started have used (Linux /proc), so a figure can say which
 * process a request's time went to: sample before and after a run, divide by the requests.
 */
import { readFileSync } from 'node:fs';
import type { RunningProcess } from '@oo/testing';

/** /proc reports in clock ticks; 100 per second on Linux (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time (ms) of a process so far; NaN where /proc is not readable. */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export type CpuSample = Record<string, number>;

/** Each named process's CPU time now, and this (the client's) process's as `client`. */
export function sampleCpu(processes: Record<string, RunningProcess>): CpuSample {
  const { user, system } = process.cpuUsage();
  return {
    ...Object.fromEntries(
      Object.entries(processes).map(([name, child]) => [name, cpuMs(child.child.pid)]),
    ),
    client: (user + system) / 1000,
  };
}

/** CPU µs per request each process spent between two samples. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  return Object.fromEntries(
    Object.keys(after).map((name) => [
      name,
      ((after[name]! - (before[name] ?? Number.NaN)) * 1000) / requests,
    ]),
  );
}
