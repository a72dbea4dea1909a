import { readFileSync } from 'node:fs';

/**
 * The CPU time a server process has used, user and system, in µs, read from
 * Linux's `/proc/<pid>/stat` by the parent (so the measured process runs no
 * code of the benchmark's to report it). Undefined where there is no such
 * file.
 *
 * Why the benchmark reads it: requests/s on a shared machine swings with
 * what the host takes of the cores (a baseline's rounds ranged over a factor
 * of three), while the CPU time a request takes the server counts only the
 * time it ran, so a variant's cost shows through that noise. The figure
 * includes every thread of the process (the garbage collector's too).
 */
export function cpuMicrosOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1e6) / CLOCK_TICKS_PER_SECOND : undefined;
}

/** The unit of /proc's CPU times, `getconf CLK_TCK`: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
