declare const gc: (() => void) | undefined;

/**
 * The heap in use after a full GC, for `GET /__heap` (the variant's process
 * runs with --expose-gc). Several passes, as one leaves garbage that only
 * became unreachable during it.
 */
export function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}
