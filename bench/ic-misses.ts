import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AloneLoad, runAlone } from './run-alone.js';
import { SingleVariantArgs } from './single-variant-args.js';
import type { Variant } from './variants.js';

/**
 * `node dist-bench/bench/ic-misses.js [--requests N] [--sites] [variant …]`:
 * how many of V8's property look-ups each request makes through V8's runtime
 * because its caches did not hold them (inline-cache misses in the
 * megamorphic state), in all and in the module's own functions. Express
 * gives every request and response an object shape of its own, so each
 * property read on them at a site that has seen many shapes misses, about
 * 1 µs each (bench/RESULTS.md, "Express and V8's caches"). Like
 * `npm run bench:gc`, the counts repeat from run to run on this shared
 * machine, where no timing does.
 *
 * Each variant's server runs with V8's `--log-ic`, signs its visitor in,
 * takes 2,000 requests one at a time to warm up, then `--requests` (default
 * 1,000); the misses logged during those are counted, and each is put down
 * to the function whose code it came from. `--sites` lists the module's
 * sites that miss at least once every three requests. Without names, every
 * variant but the breakdown and Redis ones.
 */

const args = new SingleVariantArgs(process.argv.slice(2));
const requests = args.count('--requests', 1_000, 100);
const sites = args.flag('--sites');
const variants = args.variants('--requests N and --sites');

/** One at a time: how often V8's caches lose an entry depends on how many requests are in flight. Logging every miss is slow: a long bound. */
const LOAD: AloneLoad = { warmUp: 2_000, requests, connections: 1, maxSeconds: 300 };
/** Where the module's compiled code lies: the functions the misses are put down to. */
const MODULE_CODE = '/dist-bench/lib/';

/** A function's compiled code: how long it is, and its name with its file and line. */
interface Code {
  size: number;
  name: string;
}

/** The misses of the measured requests, by the function and key (`LoadIC key`) they happened at. */
interface Misses {
  total: number;
  inModule: number;
  /** Misses at an address in no code the log lists (V8's own builtins): counted in all, never in the module's. */
  unplaced: number;
  bySite: Map<string, number>;
}

/**
 * The compiled code of the process as the log describes it so far: where
 * each function's code starts, found again by any address inside it.
 */
class CodeMap {
  private readonly byStart = new Map<number, Code>();
  private readonly starts: number[] = [];

  /** New code at `start`: any the log described in the same bytes is gone (V8 logs no deletion of freed machine code). */
  add(start: number, code: Code): void {
    const end = start + code.size;
    let at = this.insertionPoint(start) - 1;
    const before = this.starts[at];
    if (before !== undefined && before + this.byStart.get(before)!.size > start) this.remove(before);
    at = this.insertionPoint(start - 1);
    while (at < this.starts.length && this.starts[at] < end) this.remove(this.starts[at]);
    this.starts.splice(this.insertionPoint(start), 0, start);
    this.byStart.set(start, code);
  }

  /** The garbage collector moved the code (`code-move`). */
  move(from: number, to: number): void {
    const code = this.byStart.get(from);
    if (!code) return;
    this.remove(from);
    this.add(to, code);
  }

  remove(start: number): void {
    if (!this.byStart.delete(start)) return;
    this.starts.splice(this.insertionPoint(start) - 1, 1);
  }

  at(address: number): Code | undefined {
    const start = this.starts[this.insertionPoint(address) - 1];
    const code = start === undefined ? undefined : this.byStart.get(start);
    return code && address < start + code.size ? code : undefined;
  }

  /** How many starts are at or below `address`. */
  private insertionPoint(address: number): number {
    let [low, high] = [0, this.starts.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.starts[middle] <= address) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/**
 * Replays a `--log-ic` log in order: compiled code as it is created, moved
 * by the garbage collector and deleted, and between bytes `from` and `to`
 * each miss in the megamorphic state (`LoadIC,pc,time,line,column,N,N,map,key,…`,
 * and the same for `KeyedLoadIC`, `StoreIC`, `KeyedStoreIC`), put down to the
 * function whose code it came from: where V8 inlined a function into another,
 * to the outer one.
 */
function missesIn(log: string, from: number, to: number): Misses {
  const text = readFileSync(log);
  const codes = new CodeMap();
  const misses: Misses = { total: 0, inModule: 0, unplaced: 0, bySite: new Map() };
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf(10, at);
    const lineEnd = end === -1 ? text.length : end;
    const measured = at >= from && at < to;
    const line = text.toString('latin1', at, lineEnd);
    at = lineEnd + 1;
    const fields = line.split(',');
    if (fields[0] === 'code-creation') {
      const [, , , , address, size, name] = fields;
      codes.add(Number.parseInt(address, 16), { size: Number(size), name: name ?? '' });
    } else if (fields[0] === 'code-move') {
      codes.move(Number.parseInt(fields[1], 16), Number.parseInt(fields[2], 16));
    } else if (fields[0] === 'code-delete') {
      codes.remove(Number.parseInt(fields[1], 16));
    } else if (measured && /^(Keyed)?(Load|Store)IC$/.test(fields[0]) && fields[5] === 'N' && fields[6] === 'N') {
      misses.total += 1;
      const code = codes.at(Number.parseInt(fields[1], 16));
      if (!code) misses.unplaced += 1;
      if (!code?.name.includes(MODULE_CODE)) continue;
      misses.inModule += 1;
      const site = `${code.name.replace(/file:\/\/\S*\/dist-bench\//, '')} ${fields[0]} ${fields[8]}`;
      misses.bySite.set(site, (misses.bySite.get(site) ?? 0) + 1);
    }
  }
  return misses;
}

async function measure(variant: Variant, dir: string): Promise<Misses & { served: number }> {
  const log = join(dir, `${variant.name}.log`);
  // V8 writes each line of its log as it goes: the log's size marks where the measured requests start and end.
  const [{ from, to, served }] = await runAlone(variant, ['--log-ic', `--logfile=${log}`, '--no-logfile-per-isolate'], LOAD, () => statSync(log).size);
  return { ...missesIn(log, from, to), served };
}

const perRequest = (count: number, served: number): string => (count / served).toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'nestjs-ajax-ic-'));
try {
  console.log(`${requests.toLocaleString('en')} requests per variant after ${LOAD.warmUp.toLocaleString('en')} to warm up, one at a time; Node ${process.version}\n`);
  console.log("| variant | platform | V8 cache misses per request | of them in the module's functions | in code the log does not list |");
  console.log('|---|---|---:|---:|---:|');
  const siteLines: string[] = [];
  for (const variant of variants) {
    const m = await measure(variant, dir);
    console.log(`| ${variant.name} | ${variant.platform} | ${perRequest(m.total, m.served)} | ${perRequest(m.inModule, m.served)} | ${perRequest(m.unplaced, m.served)} |`);
    const often = [...m.bySite].filter(([, count]) => count / m.served >= 1 / 3).sort((a, b) => b[1] - a[1]);
    for (const [site, count] of often) siteLines.push(`${variant.name}: ${perRequest(count, m.served)} ${site}`);
  }
  if (sites) console.log(`\nThe module's sites that miss at least once every three requests:\n${siteLines.join('\n') || '(none)'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
