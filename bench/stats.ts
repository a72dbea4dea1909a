/** `items` turned by `by` places (`[b, c, a]` for `by` 1): how a round gives each its turn at going first. */
export function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** The median of some figures (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of some figures and their range: on a shared machine the range says how far to trust the median. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** `values`' median, lowest and highest. */
export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** `median (min–max)`, each with `digits` decimals: how the tables show a figure and its range. */
export function formatSpread(spread: Spread, digits: number): string {
  const format = (value: number) => value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  return `${format(spread.median)} (${format(spread.min)}–${format(spread.max)})`;
}
