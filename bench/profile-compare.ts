import { busySamples, type Sample } from './profile-samples.js';

/**
 * Where a variant's extra time per request goes, against the variant it is
 * compared with: two CPU profiles, each taken in a run of its own
 * (`--profile NAME`, the other variant then runs unprofiled), each with the
 * server CPU µs per request its run reported. Every function's share of its
 * profile's busy samples is turned into µs per request, and the functions are
 * listed by how much more the variant spends in them, then the packages.
 *
 *   node dist-bench/bench/profile-compare.js BASE.cpuprofile:US VARIANT.cpuprofile:US [top]
 *
 * A function with a few dozen samples moves by a fifth between two runs of
 * the same app: read the large differences, and the sum of many small ones
 * only as a direction.
 */

const [base, variant, top = '30'] = process.argv.slice(2);
if (!base || !variant) throw new Error('Usage: profile-compare.js BASE.cpuprofile:CPU_US VARIANT.cpuprofile:CPU_US [top]');

/** µs per request by key, from a profile and the CPU µs per request of its run. */
function perRequest(argument: string, key: (sample: Sample) => string): Map<string, number> {
  const at = argument.lastIndexOf(':');
  const micros = Number(argument.slice(at + 1));
  if (at < 0 || !(micros > 0)) throw new Error(`${argument}: give the profile and its run's server CPU µs per request, as FILE:US`);
  const samples = busySamples(argument.slice(0, at));
  const counts = new Map<string, number>();
  for (const sample of samples) counts.set(key(sample), (counts.get(key(sample)) ?? 0) + 1);
  return new Map([...counts].map(([name, n]) => [name, (n / samples.length) * micros]));
}

function table(title: string, key: (sample: Sample) => string, rows: number): void {
  const a = perRequest(base, key);
  const b = perRequest(variant, key);
  const lines = [...new Set([...a.keys(), ...b.keys()])]
    .map((name) => ({ name, a: a.get(name) ?? 0, b: b.get(name) ?? 0 }))
    .sort((x, y) => y.b - y.a - (x.b - x.a));
  console.log(`\n${title} (µs per request: base, variant, difference)`);
  for (const { name, a: was, b: is } of lines.slice(0, rows)) {
    console.log(`${was.toFixed(2).padStart(8)} ${is.toFixed(2).padStart(8)} ${(is - was).toFixed(2).padStart(7)}  ${name}`);
  }
}

table('Functions, by self time', (sample) => sample.fn, Number(top));
table('Packages, by self time', (sample) => sample.pkg, 15);
