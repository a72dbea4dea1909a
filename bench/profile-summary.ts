import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Summarises the newest CPU profile in bench/profiles/ (or the file given):
 * the share of samples spent in each package, and the module's own functions
 * by self time, so a change to the per-request work can be judged by where the
 * time goes rather than by throughput alone.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const dir = resolve(import.meta.dirname, '../../bench/profiles');
const file =
  process.argv[2] ??
  readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (!file) throw new Error('No profile: run `npm run bench -- --only NAME --profile NAME` first.');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

function packageOf(url: string, functionName: string): string {
  if (!url) return ['(idle)', '(garbage collector)', '(program)'].includes(functionName) ? functionName : '(native)';
  const at = url.lastIndexOf('node_modules/');
  if (at >= 0) {
    const rest = url.slice(at + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/dist-bench/lib/')) return 'nestjs-ajax (this module)';
  if (url.includes('/dist-bench/bench/')) return 'the benchmark app';
  if (url.startsWith('node:')) return 'node core';
  return url;
}

const perPackage = new Map<string, number>();
const perOwnFunction = new Map<string, number>();
for (const id of profile.samples) {
  const { callFrame } = byId.get(id)!;
  const pkg = packageOf(callFrame.url, callFrame.functionName);
  perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + 1);
  if (pkg === 'nestjs-ajax (this module)') {
    const name = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/dist-bench/lib/')[1]}:${callFrame.lineNumber + 1}`;
    perOwnFunction.set(name, (perOwnFunction.get(name) ?? 0) + 1);
  }
}
// Shares of the time the process was busy: idle time says nothing of the cost of a request.
const total = profile.samples.length - (perPackage.get('(idle)') ?? 0);
perPackage.delete('(idle)');
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
console.log(`${file}: ${total} busy samples\n\nSelf time by package, as a share of busy time:`);
for (const [pkg, n] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(n).padStart(6)}  ${pkg}`);
console.log('\nThe module\'s own functions by self time:');
for (const [name, n] of [...perOwnFunction].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(n).padStart(6)}  ${name}`);
