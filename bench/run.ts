import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, checkAfterLoad, heap, signIn } from './client.js';
import { load, type Round } from './load.js';
import { chooseVariants, readOptions, tableOf } from './options.js';
import { type Running, startAll, stop } from './processes.js';
import { conditions, type Measured, meanOf, resultTable, throughputRatio, writeTable } from './results.js';
import { type BenchRedis, startBenchRedis } from './redis-storage.js';
import { runScaling } from './scaling.js';
import { planRound } from './schedule.js';
import { VARIANTS } from './variants.js';

/**
 * `npm run bench`: rounds of autocannon against every variant, each in a
 * process of its own, each compared variant loaded between two loads of its
 * reference (planRound()), medians of those ratios over the rounds, and
 * bench/RESULTS.md. Every Nest variant runs on Express and on Fastify; a
 * Fastify variant is compared with the Fastify baseline, never with Express.
 *
 * `--quick` only checks that every variant, and every request of the cost as
 * work grows, answers correctly, alone and under load, for CI. `--scaling`
 * measures the cost as work grows (routes, messages, sessions: see
 * scaling.ts) instead of the variants, and writes its section of
 * bench/RESULTS.md and bench/scaling.svg. `--rounds N` (default 7),
 * `--duration S` (default 3), `--connections N` (default 50) tune a full
 * run; `--platform express` or `--platform fastify` runs one platform's
 * variants and rewrites only its table (with `--scaling`, one platform's
 * curves, printed only); `--only a,b` runs some variants (and
 * those they are compared with), `--breakdown` adds the parts of the module
 * one by one; `--profile NAME` writes a CPU profile of variant NAME to
 * bench/profiles/ (summarise it with `node dist-bench/bench/profile-summary.js`,
 * or set it beside the compared variant's with `profile-compare.js`).
 * Runs with `--only` or `--profile` print their figures and leave
 * bench/RESULTS.md alone: a partial table, or one slowed by the profiler,
 * is no result to keep.
 */

const options = readOptions(process.argv.slice(2), VARIANTS);
const root = resolve(import.meta.dirname, '../..');
const serverJs = join(import.meta.dirname, 'server.js');
const profileDir = join(root, 'bench', 'profiles');
const resultsFile = join(root, 'bench', 'RESULTS.md');
const chartFile = join(root, 'bench', 'scaling.svg');
/** Seconds of load per variant before the rounds: JIT, sessions; the heap is measured after it. */
const WARM_UP = 2;
/**
 * Seconds of load, not measured, just before each measured load. A process
 * left idle while the others are loaded is shrunk by V8's memory reducer:
 * its next second ran up to 1.75 times the CPU time per request (most of it
 * in the first half second), the half second after that 3–9% more, and
 * not so with `--no-memory-reducer`.
 * Without this, a reference loaded every other time would be measured warm
 * against variants measured cold. The cost as work grows wakes its apps the
 * same way (bench/scaling.ts).
 */
const WAKE_UP = 1;

const nodeFlagsOf = (name: string): string[] => [
  '--expose-gc',
  ...(name === options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
];

/**
 * The rounds of load (see planRound(): each compared variant between two
 * loads of its reference), after a warm-up of every variant; each load's
 * figures kept, and each comparison's.
 */
async function measure(running: Running[]): Promise<Map<string, Measured>> {
  const measured = new Map<string, Measured>(running.map((r) => [r.variant.name, { variant: r.variant, loads: [], pairs: [], served: 0, heapGrowthKiB: 0 }]));
  const byName = new Map(running.map((r) => [r.variant.name, r]));
  const heapBefore = new Map<string, number>();
  for (const r of running) await load(r, WARM_UP, options.connections);
  for (const r of running) heapBefore.set(r.variant.name, await heap(r));
  for (let round = 1; round <= options.rounds; round++) {
    const plan = planRound(running.map((r) => r.variant), round);
    const loads: Round[] = [];
    for (const name of plan.loads) {
      await load(byName.get(name)!, WAKE_UP, options.connections);
      const { total, ...figures }: Round & { total: number } = await load(byName.get(name)!, options.duration, options.connections);
      const entry = measured.get(name)!;
      entry.loads.push(figures);
      entry.served += total;
      loads.push(figures);
    }
    const ratios: string[] = [];
    for (const { name, at, beforeAt, afterAt } of plan.sandwiches) {
      const pair = { load: loads[at], reference: meanOf(loads[beforeAt], loads[afterAt]) };
      measured.get(name)!.pairs.push(pair);
      ratios.push(`${name} ${throughputRatio(pair.load, pair.reference).toFixed(3)}`);
    }
    // A run with no comparison in it (--only baseline) shows each load's requests/s instead.
    const shown = ratios.length > 0 ? ratios : plan.loads.map((name, i) => `${name} ${Math.round(loads[i].rps)}/s`);
    console.log(`round ${round}/${options.rounds}: ${shown.join(', ')}`);
  }
  for (const r of running) await checkAfterLoad(r);
  for (const r of running) measured.get(r.variant.name)!.heapGrowthKiB = ((await heap(r)) - heapBefore.get(r.variant.name)!) / 1024;
  return measured;
}

/**
 * The quick check: every variant answers correctly, then under one short
 * round of load (every status and body compared with the expected), then
 * again. No warm-up: nothing is measured, and it would double the load
 * CI waits for.
 */
async function quickCheck(running: Running[]): Promise<void> {
  for (const r of running) {
    const { rps } = await load(r, options.duration, options.connections, true);
    console.log(`${r.variant.name}: ${Math.round(rps)} requests/s, all answered as expected`);
  }
  for (const r of running) await checkAfterLoad(r);
  console.log(`Quick check passed: every variant answered correctly under load (${options.connections} connections).`);
}

/** The variants' section: their checks, or their rounds and tables. */
async function runVariants(): Promise<void> {
  let chosen = chooseVariants(VARIANTS, options);
  let redis: BenchRedis | undefined = undefined;
  if (chosen.some((v) => v.redis)) {
    redis = await startBenchRedis();
    if (!redis) {
      console.log(`No redis-server on this machine: left out ${chosen.filter((v) => v.redis).map((v) => v.name).join(', ')}.`);
      chosen = chosen.filter((v) => !v.redis);
    }
  }
  const loadsPerRound = planRound(chosen, 1).loads.length;
  const loadSeconds = options.quick ? chosen.length * options.duration : chosen.length * WARM_UP + options.rounds * loadsPerRound * (WAKE_UP + options.duration);
  console.log(`${chosen.length} variants; about ${loadSeconds < 120 ? `${loadSeconds} s` : `${Math.ceil(loadSeconds / 60)} min`} of load.`);
  let running: Running[] = [];
  try {
    running = await startAll(chosen, serverJs, (variant) => nodeFlagsOf(variant.name));
    for (const r of running) {
      await signIn(r);
      await check(r);
    }
    console.log(`All ${running.length} variants answer correctly.`);
    if (options.quick) return await quickCheck(running);
    const measured = await measure(running);
    const write = !options.only && !options.profile;
    // The chosen variants are already those of the tables asked for.
    for (const table of ['express', 'fastify'] as const) {
      const rows = [...measured.values()].filter((m) => tableOf(m.variant.platform) === table);
      if (rows.length === 0) continue;
      const text = `${conditions(root, table, options, running.length, WAKE_UP)}\n\n${resultTable(rows, measured)}`;
      console.log(`\n${text}\n`);
      if (write) writeTable(resultsFile, table, text);
    }
    console.log(write ? `Written to ${resultsFile}` : `${resultsFile} left as it was (a run with --only or --profile).`);
  } finally {
    await Promise.all(running.map(stop));
    await redis?.stop();
  }
}

/** The sections asked for, one after the other, so that their processes never share the machine. */
async function main(): Promise<void> {
  mkdirSync(profileDir, { recursive: true });
  if (!options.scaling) await runVariants();
  // A quick check covers both sections; a measured run, one of them.
  if (options.scaling || options.quick) await runScaling(options, { root, serverJs, results: resultsFile, chart: chartFile, chartLink: 'scaling.svg' });
}

await main();
if (options.profile) console.log(`CPU profile of ${options.profile} in ${profileDir}`);
