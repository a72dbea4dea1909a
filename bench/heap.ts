import { setImmediate as nextTurn } from 'node:timers/promises';

declare const gc: (() => void) | undefined;

/** Full collections, each after a turn of the event loop. */
const PASSES = 3;

/**
 * The heap in use after a full GC, for `GET /__heap` (the variant's process
 * runs with --expose-gc). Several passes, as one leaves garbage that only
 * became unreachable during it, each after a turn of the event loop: what a
 * collection found dead but left to a `FinalizationRegistry` callback is
 * freed only once that callback has run, in a task of its own. Node clears
 * the timer of each `AbortSignal.timeout()` that way, and node-redis makes
 * one for every command: three collections in a row counted 1–13 MiB of
 * such timers (about 15,000 of them) right after a load with
 * `RedisMessageStorage`, and nothing one turn later.
 */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < PASSES; i++) {
    gc?.();
    await nextTurn();
  }
  gc?.();
  return process.memoryUsage().heapUsed;
}
