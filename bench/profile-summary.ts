import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { busySamples } from './profile-samples.js';

/**
 * Summarises the newest CPU profile in bench/profiles/ (or the file given):
 * the share of samples spent in each package, and the module's own functions
 * by self time, so a change to the per-request work can be judged by where the
 * time goes rather than by throughput alone.
 */

const dir = resolve(import.meta.dirname, '../../bench/profiles');
const file =
  process.argv[2] ??
  readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (!file) throw new Error('No profile: run `npm run bench -- --only NAME --profile NAME` first.');
const samples = busySamples(file);
const perPackage = new Map<string, number>();
const perOwnFunction = new Map<string, number>();
for (const { pkg, fn } of samples) {
  perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + 1);
  if (pkg === 'nestjs-ajax (this module)') perOwnFunction.set(fn, (perOwnFunction.get(fn) ?? 0) + 1);
}
const total = samples.length;
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
console.log(`${file}: ${total} busy samples\n\nSelf time by package, as a share of busy time:`);
for (const [pkg, n] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(n).padStart(6)}  ${pkg}`);
console.log('\nThe module\'s own functions by self time:');
for (const [name, n] of [...perOwnFunction].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(n).padStart(6)}  ${name}`);
