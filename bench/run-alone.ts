import { join } from 'node:path';
import { signIn } from './client.js';
import { loadTarget } from './load.js';
import { type Running, start, stop } from './processes.js';
import { variantTarget } from './target.js';
import type { Variant } from './variants.js';

/** How a variant is loaded when it runs alone (`bench/gc-cost.ts`, `bench/ic-misses.ts`, `bench/promises.ts`, `bench/instructions.ts`). */
export interface AloneLoad {
  /** Requests before the measured ones, so that V8 has compiled what they run. */
  warmUp: number;
  /** The measured requests (of each window). */
  requests: number;
  /** Requests in flight at a time. */
  connections: number;
  /** A bound in time on each load run: far above what the slowest variant needs. */
  maxSeconds: number;
  /** How many times the measured requests are taken, each between two marks of its own (default 1). */
  windows?: number;
}

/** One run of the measured requests: where in what the process wrote they begin and end, and how many were answered. */
export interface MeasuredWindow<Mark> {
  from: Mark;
  to: Mark;
  served: number;
}

/**
 * Runs `variant` alone in a process of its own (with `nodeFlags`, and under
 * `launcher` if one is given): signs its visitor in, takes `load.warmUp`
 * requests, then the measured ones (`load.windows` times), and stops the
 * process before it returns, so that whatever it wrote (a log, the lines
 * `onLine` heard) is whole. `mark()` is read just before and just after each
 * window's requests (with the running process, which it may signal).
 */
export async function runAlone<Mark>(
  variant: Variant,
  nodeFlags: string[],
  load: AloneLoad,
  mark: (running: Running) => Mark | Promise<Mark>,
  onLine?: (line: string) => void,
  launcher: readonly string[] = [],
): Promise<MeasuredWindow<Mark>[]> {
  const running = await start(variant, join(import.meta.dirname, 'server.js'), nodeFlags, onLine, launcher);
  try {
    await signIn(running);
    const target = variantTarget(running);
    await loadTarget(target, load.maxSeconds, load.connections, false, load.warmUp);
    const windows: MeasuredWindow<Mark>[] = [];
    for (let n = 0; n < (load.windows ?? 1); n++) {
      const from = await mark(running);
      const { total } = await loadTarget(target, load.maxSeconds, load.connections, false, load.requests);
      windows.push({ from, to: await mark(running), served: total });
    }
    return windows;
  } finally {
    await stop(running);
  }
}
