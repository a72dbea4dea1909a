import { readFileSync } from 'node:fs';

/** A node of a V8 CPU profile (`--cpu-prof`): one function at one place in the call tree. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The parts of a `.cpuprofile` file the summaries read. */
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** One sample of a profile: where the process was, by package and by function. */
export interface Sample {
  /** The package the function comes from: `node core`, `(garbage collector)`, `fastify`, `nestjs-ajax (this module)`… */
  readonly pkg: string;
  /** The function, its file (from its package's folder on) and line. */
  readonly fn: string;
}

/**
 * The busy samples of a CPU profile (idle ones left out: idle time says
 * nothing of the cost of a request), each with its function's package and
 * name, for bench/profile-summary.ts and bench/profile-compare.ts.
 */
export function busySamples(file: string): Sample[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples: Sample[] = [];
  for (const id of profile.samples) {
    const { callFrame } = byId.get(id)!;
    const pkg = packageOf(callFrame.url, callFrame.functionName);
    if (pkg === '(idle)') continue;
    const where = callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist-bench\/(lib\/)?/, '');
    samples.push({ pkg, fn: `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}` });
  }
  return samples;
}

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
