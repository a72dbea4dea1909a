import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Variant, VARIANTS } from './variants.js';

/**
 * `npm run bench`: interleaved rounds (A B C … A B C …) of autocannon against
 * every variant, each in a process of its own, medians over the rounds, and
 * bench/RESULTS.md. `--quick` only checks that every variant answers
 * correctly, for CI. `--rounds N`, `--duration S`, `--connections N` tune a
 * full run; `--only a,b` runs some variants, `--breakdown` adds the parts of
 * the module one by one; `--profile NAME` writes a CPU profile of variant NAME
 * to bench/profiles/ (summarise it with `node dist-bench/bench/profile-summary.js`).
 */

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const QUICK = args.includes('--quick');
const PROFILE = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined;
const ROUNDS = flag('rounds', QUICK ? 1 : 5);
const DURATION = flag('duration', QUICK ? 1 : 5);
const CONNECTIONS = flag('connections', 50);
const root = resolve(import.meta.dirname, '../..');
const serverJs = join(import.meta.dirname, 'server.js');
const profileDir = join(root, 'bench', 'profiles');

interface Running {
  variant: Variant;
  child: ChildProcess;
  url: string;
  cookie?: string;
}

interface Round {
  rps: number;
  p50: number;
  p99: number;
}

function start(variant: Variant): Promise<Running> {
  const profiling = variant.name === PROFILE;
  const flags = ['--expose-gc', ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child = spawn(process.execPath, [...flags, serverJs, variant.name], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`variant ${variant.name} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /^READY (\d+)$/.exec(line)?.[1];
      if (port) resolveStart({ variant, child, url: `http://127.0.0.1:${port}` });
    });
  });
}

async function signIn(running: Running): Promise<void> {
  if (!running.variant.signedIn) return;
  const res = await fetch(`${running.url}/login`, { method: 'POST' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`${running.variant.name}: could not sign in (HTTP ${res.status})`);
  running.cookie = cookie;
}

/** One request, checked against what the variant must answer. */
async function check(running: Running): Promise<void> {
  const { variant } = running;
  const res = await fetch(`${running.url}/json`, { headers: running.cookie ? { cookie: running.cookie } : {} });
  const body: unknown = await res.json();
  if (res.status !== variant.expectedStatus || JSON.stringify(body) !== JSON.stringify(variant.expectedBody)) {
    throw new Error(`${variant.name}: expected ${variant.expectedStatus} ${JSON.stringify(variant.expectedBody)}, got ${res.status} ${JSON.stringify(body)}`);
  }
}

async function heap(running: Running): Promise<number> {
  const res = await fetch(`${running.url}/__heap`);
  return ((await res.json()) as { heapUsed: number }).heapUsed;
}

async function load(running: Running, duration: number): Promise<Round & { total: number }> {
  const result = await autocannon({
    url: `${running.url}/json`,
    connections: CONNECTIONS,
    duration,
    headers: running.cookie ? { cookie: running.cookie } : {},
  });
  const expected2xx = running.variant.expectedStatus < 300;
  const wrong = expected2xx ? result.non2xx : result['2xx'];
  if (result.errors > 0 || result.timeouts > 0 || wrong > 0) {
    throw new Error(`${running.variant.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${wrong} unexpected statuses`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  mkdirSync(profileDir, { recursive: true });
  const running: Running[] = [];
  try {
    const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
    const chosen = VARIANTS.filter((v) => (only ? only.includes(v.name) : !v.breakdown || args.includes('--breakdown')));
    for (const variant of chosen) running.push(await start(variant));
    for (const r of running) {
      await signIn(r);
      await check(r);
    }
    console.log(`All ${running.length} variants answer correctly.`);
    const rounds = new Map<string, Round[]>(running.map((r) => [r.variant.name, []]));
    const heapBefore = new Map<string, number>();
    const served = new Map<string, number>(running.map((r) => [r.variant.name, 0]));
    // Warm-up: JIT, sessions; then the heap each variant starts from.
    for (const r of running) await load(r, QUICK ? 1 : 2);
    for (const r of running) heapBefore.set(r.variant.name, await heap(r));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const r of running) {
        const { total, ...figures } = await load(r, DURATION);
        rounds.get(r.variant.name)!.push(figures);
        served.set(r.variant.name, served.get(r.variant.name)! + total);
      }
      console.log(`round ${round}/${ROUNDS}: ${running.map((r) => `${r.variant.name} ${Math.round(rounds.get(r.variant.name)!.at(-1)!.rps)}`).join(', ')}`);
    }
    for (const r of running) await check(r);
    const heapAfter = new Map<string, number>();
    for (const r of running) heapAfter.set(r.variant.name, await heap(r));
    if (QUICK) {
      console.log(`Quick check passed: every variant answered correctly under load (${CONNECTIONS} connections).`);
      return;
    }
    // Each round's ratio pairs runs made a few seconds apart, which cancels the drift of a shared machine.
    const pairedRatio = (name: string, other: string) =>
      median(rounds.get(name)!.map((x, i) => x.rps / rounds.get(other)![i].rps));
    const rows = running.map(({ variant }) => {
      const list = rounds.get(variant.name)!;
      const rps = median(list.map((x) => x.rps));
      const ratio = variant.comparedWith ? pairedRatio(variant.name, variant.comparedWith).toFixed(3) : '1.000';
      const growth = (heapAfter.get(variant.name)! - heapBefore.get(variant.name)!) / 1024;
      return `| ${variant.label} | ${Math.round(rps)} | ${median(list.map((x) => x.p50))} | ${median(list.map((x) => x.p99))} | ${ratio}${variant.comparedWith ? ` (vs ${variant.comparedWith})` : ''} | ${served.get(variant.name)!.toLocaleString('en')} | ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} |`;
    });
    const table = [
      '| variant | requests/s (median) | p50 ms | p99 ms | ratio (median of the rounds\' ratios) | requests served | heap after GC, end − start (KiB) |',
      '|---|---:|---:|---:|---|---:|---:|',
      ...rows,
    ].join('\n');
    console.log(`\n${table}\n`);
    const machine = [
      `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
      `- Node ${process.version}; @nestjs/core ${versionOf('@nestjs/core')}, @nestjs/platform-express ${versionOf('@nestjs/platform-express')}, express ${versionOf('express')}, express-session ${versionOf('express-session')}, autocannon ${versionOf('autocannon')}`,
      `- ${ROUNDS} interleaved rounds of ${DURATION} s per variant, ${CONNECTIONS} connections, after a warm-up; each variant in its own process; load generator in the parent process`,
    ].join('\n');
    const results = join(root, 'bench', 'RESULTS.md');
    const previous = readFileSync(results, { encoding: 'utf8', flag: 'a+' });
    const notes = previous.includes('\n## Notes') ? previous.slice(previous.indexOf('\n## Notes')) : '';
    writeFileSync(results, `# Benchmark results\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n\n${machine}\n\n${table}\n${notes}`);
    console.log(`Written to ${results}`);
  } finally {
    await Promise.all(running.map((r) => new Promise((done) => r.child.once('exit', done).kill('SIGINT'))));
  }
}

await main();
if (PROFILE) console.log(`CPU profile of ${PROFILE} in ${profileDir}`);
