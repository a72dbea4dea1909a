/**
 * What callgrind's cache and branch simulation (`--cache-sim=yes
 * --branch-sim=yes`) says of a dump as a whole, for `npm run
 * bench:instructions -- --simulate`: a request's instructions weigh the
 * same in the plain count whether they hit the caches or not, and this
 * weighs them by where their memory was found.
 */

/** A dump's totals by event name (`Ir`, `I1mr`, `Bcm`…), from its `events:` and `totals:` lines. */
export function readTotals(text: string): Record<string, number> {
  const events = /^events:(.*)$/m.exec(text)?.[1].trim().split(/\s+/);
  const totals = /^totals:(.*)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number);
  if (!events || !totals) throw new Error('callgrind dump: no events: or totals: line');
  return Object.fromEntries(events.map((name, at) => [name, totals[at] ?? 0]));
}

/** What the simulation counted, per request. */
export interface Simulated {
  /** Instructions, the collector's and the compilers' included. */
  instructions: number;
  /** First-level misses, instruction and data. */
  l1Misses: number;
  /** Last-level misses: reads and writes that went to memory. */
  llMisses: number;
  /** Conditional and indirect branches mispredicted. */
  mispredicted: number;
  /** L1 hits + 5 × LL hits + 35 × memory accesses, the estimate iai and others use. */
  cycles: number;
}

const sum = (totals: Record<string, number>, names: readonly string[]): number => names.reduce((total, name) => total + (totals[name] ?? 0), 0);

/**
 * A dump's totals over the requests of its window. Fails where the dump was
 * not written with the simulation on (no `I1mr`, no `Bcm`).
 */
export function simulatedPerRequest(totals: Record<string, number>, served: number): Simulated {
  if (totals.I1mr === undefined || totals.Bcm === undefined) throw new Error('callgrind dump without --cache-sim=yes and --branch-sim=yes');
  const accesses = sum(totals, ['Ir', 'Dr', 'Dw']);
  const l1Misses = sum(totals, ['I1mr', 'D1mr', 'D1mw']);
  const llMisses = sum(totals, ['ILmr', 'DLmr', 'DLmw']);
  const cycles = accesses - l1Misses + 5 * (l1Misses - llMisses) + 35 * llMisses;
  return {
    instructions: totals.Ir / served,
    l1Misses: l1Misses / served,
    llMisses: llMisses / served,
    mispredicted: sum(totals, ['Bcm', 'Bim']) / served,
    cycles: cycles / served,
  };
}
