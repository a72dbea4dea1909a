import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTotals, type Simulated, simulatedPerRequest } from './cache-estimate.js';
import { byPart, isCollector, isCompiler, JitNames, type Part, readDump, type SelfCosts } from './callgrind-costs.js';
import type { Running } from './processes.js';
import { type AloneLoad, runAlone } from './run-alone.js';
import { SingleVariantArgs } from './single-variant-args.js';
import { median } from './stats.js';
import type { Variant } from './variants.js';

/**
 * `node dist-bench/bench/instructions.js [--requests N] [--windows K]
 * [--warm-up N] [--top N] [--simulate] [--dumps DIR | --read DIR] [variant …]`: the machine
 * instructions each request runs, counted by valgrind's callgrind. Unlike
 * any timing on this shared machine, the count hardly moves with what else
 * the machine does: an Express variant's windows agree to within 1–4%,
 * and a variant's ratios to its baseline, window by window, mostly within
 * 0.02, so a change of a few percent in what a request runs shows.
 *
 * Each variant's server runs under `valgrind --tool=callgrind` with nothing
 * counted, signs its visitor in and takes `--warm-up` requests (by default
 * `WARM_UP`'s for its platform), so that V8 has compiled what they run.
 * Then, `--windows` times (default 5), counting is turned on for
 * `--requests` requests (default 1,000) and the counts are written out.
 * Node runs with `--single-threaded`: the collector and the compilers then
 * do their work on the requests' thread, when the requests call for it,
 * instead of on helper threads at times of their own, which makes the
 * counts repeat. Both are counted apart (bench/callgrind-costs.ts): the
 * collector comes in lumps (what it costs per request is `npm run
 * bench:gc`'s to say), and the compilers' work is what a longer warm-up
 * would have done.
 *
 * The table gives each variant's instructions per request outside the
 * collector and the compilers, the median of its windows with their range,
 * and its baseline's count divided by its own: like the throughput ratios of
 * `npm run bench`, 1.00 runs what the baseline does, and 0.95 about 5.3%
 * more. Instructions are not time (a cache miss costs many), so this says
 * where the work is, and whether a change removed some; the timed benchmark
 * says what a request costs. `--top N` lists, for each variant, the N
 * functions whose own instructions per request grew the most over its
 * baseline's (the collector's and the compilers' left out by name).
 * `--dumps DIR` keeps callgrind's dumps there (one per window,
 * `callgrind.<variant>.<n>`, for `callgrind_annotate`), and with `--top`
 * the map of the code V8 compiled (`perf.<variant>.map`), and the requests
 * each window served (`callgrind.<variant>.served.json`); `--read DIR`
 * makes the tables again from what such a run kept, without running
 * anything. `--simulate` has callgrind simulate the caches and the branch
 * predictor too (about twice as slow), and adds a table of what that
 * found per request, the collector and the compilers included: first- and
 * last-level misses, branches mispredicted, and an estimate of cycles that
 * weighs each access by where it was found (bench/cache-estimate.ts); with
 * `--read`, from dumps written so. Needs valgrind (`apt-get install -y
 * valgrind`).
 */

const args = new SingleVariantArgs(process.argv.slice(2));
const requests = args.count('--requests', 1_000, 100);
const windows = args.count('--windows', 5, 1);
const warmUpOption = args.option('--warm-up');
const top = args.count('--top', 0, 0);
const keep = args.option('--dumps');
const kept = args.option('--read');
const simulate = args.flag('--simulate');
if (keep && kept) throw new Error('--dumps writes dumps and --read reads them: give one');
const variants = args.variants('--requests N, --windows K, --warm-up N, --top N, --simulate, --dumps DIR and --read DIR');

/**
 * Requests before the first window, by platform. After 5,000, an Express
 * variant's windows agree to within 1–4%. A Fastify request runs a quarter
 * of the instructions, and V8 was still compiling Node's own http code
 * again (after throwing optimised code away, as `--trace-deopt` shows) in
 * each window after 5,000, Turbofan at 95,000 instructions per request.
 * After 20,000 it runs 13,000 to 36,000, and the windows still drift, but
 * together in every process (`pairedRatios()`).
 */
const WARM_UP: Record<Variant['platform'], number> = { express: 5_000, fastify: 20_000, 'node:http': 5_000 };

/** How a variant is loaded. Under valgrind a request takes 20 to 50 times as long: a long bound. */
function loadOf(variant: Variant): AloneLoad {
  const warmUp = warmUpOption === undefined ? WARM_UP[variant.platform] : Number(warmUpOption);
  if (!Number.isInteger(warmUp) || warmUp < 0) throw new Error('--warm-up takes a whole number');
  return { warmUp, requests, connections: 10, maxSeconds: 600, windows };
}

function needValgrind(): void {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind is not installed: apt-get install -y valgrind');
  }
}

/** Sends a command to the callgrind run of process `pid` (`callgrind_control`), which answers once it has done it. */
const control = (pid: number, ...command: string[]): void => void execFileSync('callgrind_control', [...command, String(pid)], { stdio: 'ignore' });

/** Removes what an earlier run of the same variant left in `dir` (its dumps, its map, V8's log), so that no old file is read as new. */
function clearEarlier(dir: string, variant: string): void {
  for (const file of readdirSync(dir)) {
    if (file.startsWith(`callgrind.${variant}.`) || file === `callgrind.${variant}` || file === `perf.${variant}.map` || file === `v8.${variant}.log`) rmSync(join(dir, file));
  }
}

/** One window's instructions by part and by function, and the requests it served. */
interface Counted {
  parts: Record<Part, number>;
  functions: SelfCosts;
  served: number;
  /** What the cache and branch simulation found (`--simulate`). */
  simulated?: Simulated;
}

async function measure(variant: Variant): Promise<Counted[]> {
  const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'nestjs-ajax-callgrind-'));
  clearEarlier(dir, variant.name);
  const base = join(dir, `callgrind.${variant.name}`);
  let dumps = 0;
  const simulation = simulate ? ['--cache-sim=yes', '--branch-sim=yes'] : [];
  const launcher = ['valgrind', '-q', '--tool=callgrind', '--instr-atstart=no', ...simulation, '--smc-check=all-non-file', `--callgrind-out-file=${base}`];
  let pid = 0;
  let counting = false;
  // Turns counting on before a window; after it, turns it off and has the counts written: the dump's path.
  const mark = (running: Running): string | undefined => {
    pid = running.child.pid!;
    counting = !counting;
    if (counting) {
      control(pid, '-i', 'on');
      return undefined;
    }
    control(pid, '-i', 'off');
    control(pid, '-d');
    // callgrind numbers its dumps from 1 (`base.1`, `base.2`, …).
    const dump = `${base}.${++dumps}`;
    if (!existsSync(dump)) throw new Error(`callgrind wrote no ${dump}`);
    return dump;
  };
  try {
    // V8 writes its log (here, of the code it compiles) where it is told, not in the working directory.
    const nameCode = NAME_CODE ? ['--perf-basic-prof', `--logfile=${join(dir, `v8.${variant.name}.log`)}`, '--no-logfile-per-isolate'] : [];
    const measured = await runAlone(variant, ['--single-threaded', ...nameCode], loadOf(variant), mark, undefined, launcher);
    const served = measured.map((window) => window.served);
    if (keep) writeFileSync(`${base}.served.json`, JSON.stringify(served));
    return countsOf(measured.map(({ to }) => to!), served, NAME_CODE ? readFileSync(`/tmp/perf-${pid}.map`, 'utf8') : '');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else rmSync(join(dir, `v8.${variant.name}.log`), { force: true });
    const map = `/tmp/perf-${pid}.map`;
    if (pid && existsSync(map)) {
      if (keep) copyFileSync(map, join(dir, `perf.${variant.name}.map`));
      rmSync(map);
    }
  }
}

/** The windows' counts, from their dumps and the requests each served (`map`: V8's perf map, or empty). */
function countsOf(dumps: readonly string[], served: readonly number[], map: string): Counted[] {
  const jitNames = new JitNames(map);
  return dumps.map((file, at) => {
    const text = readFileSync(file, 'utf8');
    const dump = readDump(text);
    const simulated = simulate ? simulatedPerRequest(readTotals(text), served[at]) : undefined;
    return { parts: byPart(dump), functions: jitNames.rename(dump.self), served: served[at], simulated };
  });
}

/** A variant's windows as an earlier run with `--dumps` kept them in `dir` (`--read DIR`). */
function readKept(dir: string, variant: Variant): Counted[] {
  const base = join(dir, `callgrind.${variant.name}`);
  if (!existsSync(`${base}.served.json`)) throw new Error(`${dir} holds no dumps of ${variant.name}: run with --dumps ${dir} first`);
  const served = JSON.parse(readFileSync(`${base}.served.json`, 'utf8')) as number[];
  const map = join(dir, `perf.${variant.name}.map`);
  return countsOf(served.map((_, at) => `${base}.${at + 1}`), served, existsSync(map) ? readFileSync(map, 'utf8') : '');
}

/**
 * Window n of the baseline over window n of the variant, for each n: the
 * median, with the range. Both processes take the same requests in the same
 * order, so V8 compiles and collects at the same points in both, and their
 * windows drift together; on Fastify the windows still run 15% fewer
 * instructions from the first to the fifth, while their ratios mostly stay
 * within 0.02.
 */
function pairedRatios(baseline: readonly number[], variant: readonly number[]): string {
  const ratios = variant.map((own, at) => baseline[at] / own);
  return `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`;
}

/** A part's instructions per request in each window. */
const perRequest = (counted: Counted[], part: Part): number[] => counted.map(({ parts, served }) => parts[part] / served);

/** Each function's own instructions per request over all of a variant's windows, but the collector's and the compilers' as their names tell. */
function functionsPerRequest(counted: Counted[]): Map<string, number> {
  const served = counted.reduce((sum, window) => sum + window.served, 0);
  const per = new Map<string, number>();
  for (const { functions } of counted) {
    for (const [name, instructions] of functions) {
      if (!isCollector(name) && !isCompiler(name)) per.set(name, (per.get(name) ?? 0) + instructions / served);
    }
  }
  return per;
}

/** A function's name without the path up to the project. */
const shortName = (name: string): string => name.replaceAll(resolve(import.meta.dirname, '..', '..') + '/', '');

/**
 * Whether V8 writes the map that names its compiled code: only where
 * functions are listed (`--top`), because it has the collector report
 * every object it moves, which more than doubles what a young collection
 * runs.
 */
const NAME_CODE = top > 0;

if (!kept) needValgrind();
if (keep) mkdirSync(keep, { recursive: true });
const warmUps = warmUpOption ?? `${WARM_UP.express.toLocaleString('en')} (Express, node:http) or ${WARM_UP.fastify.toLocaleString('en')} (Fastify)`;
console.log(
  kept
    ? `Read from the dumps in ${kept} (the Node that wrote them, and its warm-up, as that run said)\n`
    : `${requests.toLocaleString('en')} requests per window, ${windows} windows per variant, after ${warmUps} to warm up, 10 at a time; Node ${process.version} --single-threaded under callgrind\n`,
);
const results = new Map<string, Counted[]>();
for (const variant of variants) results.set(variant.name, kept ? readKept(kept, variant) : await measure(variant));

const thousands = (n: number): string => (n / 1_000).toLocaleString('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
console.log('| variant | platform | thousand instructions per request, median (windows) | baseline ÷ variant, median of the windows\' ratios (min–max) | collector | compilers |');
console.log('|---|---|---:|---:|---:|---:|');
for (const variant of variants) {
  const counted = results.get(variant.name)!;
  const own = perRequest(counted, 'requests');
  const baseline = variant.comparedWith ? results.get(variant.comparedWith) : undefined;
  const ratio = baseline ? pairedRatios(perRequest(baseline, 'requests'), own) : '–';
  const spread = `${thousands(Math.min(...own))}–${thousands(Math.max(...own))}`;
  // Where V8 names its code, the collector reports each object it moves: its column would say more than it runs otherwise.
  const collector = NAME_CODE || (kept && existsSync(join(kept, `perf.${variant.name}.map`))) ? '–' : thousands(median(perRequest(counted, 'gc')));
  console.log(`| ${variant.name} | ${variant.platform} | ${thousands(median(own))} (${spread}) | ${ratio} | ${collector} | ${thousands(median(perRequest(counted, 'compile')))} |`);
}

if (simulate) {
  console.log('\nSimulated by callgrind (the collector and the compilers included; per request, median of the windows):\n');
  console.log('| variant | thousand instructions | L1 misses | LL misses | branches mispredicted | thousand estimated cycles | baseline ÷ variant, estimated cycles, median of the windows\' ratios (min–max) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const figure = (counted: Counted[], pick: (s: Simulated) => number): number[] => counted.map(({ simulated }) => pick(simulated!));
  const whole = (values: number[]): string => Math.round(median(values)).toLocaleString('en');
  for (const variant of variants) {
    const counted = results.get(variant.name)!;
    const baseline = variant.comparedWith ? results.get(variant.comparedWith) : undefined;
    const cycles = figure(counted, (s) => s.cycles);
    const ratio = baseline ? pairedRatios(figure(baseline, (s) => s.cycles), cycles) : '–';
    console.log(
      `| ${variant.name} | ${thousands(median(figure(counted, (s) => s.instructions)))} | ${whole(figure(counted, (s) => s.l1Misses))} | ${whole(figure(counted, (s) => s.llMisses))} | ${whole(figure(counted, (s) => s.mispredicted))} | ${thousands(median(cycles))} | ${ratio} |`,
    );
  }
}

if (top > 0) {
  for (const variant of variants) {
    const baseline = variant.comparedWith ? results.get(variant.comparedWith) : undefined;
    if (!baseline) continue;
    const theirs = functionsPerRequest(baseline);
    const ours = functionsPerRequest(results.get(variant.name)!);
    const grown = [...new Set([...theirs.keys(), ...ours.keys()])]
      .map((name) => ({ name, more: (ours.get(name) ?? 0) - (theirs.get(name) ?? 0) }))
      .sort((a, b) => b.more - a.more)
      .slice(0, top);
    console.log(`\n${variant.name} against ${variant.comparedWith}: the ${top} functions that grew the most (instructions per request)\n`);
    for (const { name, more } of grown) console.log(`${Math.round(more).toLocaleString('en').padStart(9)}  ${shortName(name).slice(0, 160)}`);
  }
}
