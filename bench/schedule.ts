/** Anything the schedule orders: a variant's name and the variant it is compared with, if any. */
export interface Scheduled {
  name: string;
  comparedWith?: string;
}

/**
 * One comparison of a round: the variant's load, between two loads of the
 * variant it is compared with (`before` and `after` index into the round's
 * loads, as does `variant`).
 */
export interface Sandwich {
  name: string;
  variant: number;
  before: number;
  after: number;
}

/** A round: the loads to run, in order, and the comparisons they make. */
export interface RoundPlan {
  loads: string[];
  sandwiches: Sandwich[];
}

/**
 * The loads of round `round` (from 1). Each compared variant is loaded
 * between two loads of its reference, a few seconds before and after it:
 * `R B1 R B2 R … Bn R` for a reference R and the variants compared with it,
 * so that each ratio is of loads next to each other in time, and a drift
 * of the machine over those seconds (other work starting or stopping) falls
 * on both sides of it alike. Loads a whole round apart, as in `A B C … A B C`,
 * took a shared machine's changes of minutes into each ratio: the same
 * code's rounds spanned 0.86–1.15. The compared variants take turns at each
 * place from round to round. A variant that is neither compared nor a
 * reference is loaded once.
 */
export function planRound(variants: readonly Scheduled[], round: number): RoundPlan {
  const names = new Set(variants.map((v) => v.name));
  const loads: string[] = [];
  const sandwiches: Sandwich[] = [];
  const comparedWith = (reference: string) => variants.filter((v) => v.comparedWith === reference && names.has(reference));
  for (const reference of variants) {
    const compared = comparedWith(reference.name);
    if (compared.length === 0) {
      if (!reference.comparedWith || !names.has(reference.comparedWith)) loads.push(reference.name);
      continue;
    }
    const shift = (round - 1) % compared.length;
    const turn = [...compared.slice(shift), ...compared.slice(0, shift)];
    loads.push(reference.name);
    for (const { name } of turn) {
      loads.push(name, reference.name);
      sandwiches.push({ name, variant: loads.length - 2, before: loads.length - 3, after: loads.length - 1 });
    }
  }
  return { loads, sandwiches };
}
