import { join } from 'node:path';
import { signIn } from './client.js';
import { loadTarget } from './load.js';
import { type Running, start, stop } from './processes.js';
import { variantTarget } from './target.js';
import type { Variant } from './variants.js';

/** How a variant is loaded when it runs alone (`bench/gc-cost.ts`, `bench/ic-misses.ts`). */
export interface AloneLoad {
  /** Requests before the measured ones, so that V8 has compiled what they run. */
  warmUp: number;
  /** The measured requests. */
  requests: number;
  /** Requests in flight at a time. */
  connections: number;
  /** A bound in time on each load run: far above what the slowest variant needs. */
  maxSeconds: number;
}

/**
 * Runs `variant` alone in a process of its own (with `nodeFlags`): signs its
 * visitor in, takes `load.warmUp` requests, then the measured ones, and stops
 * the process before it returns, so that whatever it wrote (a log, the lines
 * `onLine` heard) is whole. `mark()` is read just before and just after the
 * measured requests (with the running process, which it may signal): where
 * in what the process wrote they begin and end.
 */
export async function runAlone<Mark>(
  variant: Variant,
  nodeFlags: string[],
  load: AloneLoad,
  mark: (running: Running) => Mark | Promise<Mark>,
  onLine?: (line: string) => void,
): Promise<{ from: Mark; to: Mark; served: number }> {
  const running = await start(variant, join(import.meta.dirname, 'server.js'), nodeFlags, onLine);
  try {
    await signIn(running);
    const target = variantTarget(running);
    await loadTarget(target, load.maxSeconds, load.connections, false, load.warmUp);
    const from = await mark(running);
    const { total } = await loadTarget(target, load.maxSeconds, load.connections, false, load.requests);
    return { from, to: await mark(running), served: total };
  } finally {
    await stop(running);
  }
}
