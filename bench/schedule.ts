import { rotated } from './stats.js';

/** Anything the schedule orders: a variant's name and the variant it is compared with, if any. */
export interface Scheduled {
  name: string;
  comparedWith?: string;
}

/**
 * One comparison of a round: where in the round's loads the compared
 * variant's load is (`at`), and its reference's loads just before and after
 * it.
 */
export interface Sandwich {
  name: string;
  at: number;
  beforeAt: number;
  afterAt: number;
}

/** A round: the loads to run, in order, and the comparisons they make. */
export interface RoundPlan {
  loads: string[];
  sandwiches: Sandwich[];
}

/**
 * The loads of round `round` (from 1). Each compared variant is loaded
 * between two loads of its reference, `R B1 R B2 R … Bn R` for a reference R
 * and the variants compared with it, so that each ratio is of loads next to
 * each other in time, and a drift of the machine over those seconds (other
 * work starting or stopping) falls on both sides of it alike. Loads a whole
 * round apart, as in `A B C … A B C`, took a shared machine's changes of
 * minutes into each ratio: the same code's rounds spanned 0.86–1.15. The
 * compared variants take turns at each place from round to round. A
 * variant that is neither compared nor a reference is loaded once.
 */
export function planRound(variants: readonly Scheduled[], round: number): RoundPlan {
  const names = new Set(variants.map((v) => v.name));
  const loads: string[] = [];
  const sandwiches: Sandwich[] = [];
  for (const v of variants) {
    const compared = variants.filter((other) => other.comparedWith === v.name);
    if (compared.length === 0) {
      // A compared variant is loaded in its reference's turn; one whose reference is not in the run, alone.
      if (!v.comparedWith || !names.has(v.comparedWith)) loads.push(v.name);
      continue;
    }
    const turn = rotated(compared, round - 1);
    loads.push(v.name);
    for (const { name } of turn) {
      loads.push(name, v.name);
      sandwiches.push({ name, at: loads.length - 2, beforeAt: loads.length - 3, afterAt: loads.length - 1 });
    }
  }
  return { loads, sandwiches };
}
