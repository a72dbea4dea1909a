import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signIn } from './client.js';
import { loadTarget } from './load.js';
import { start, stop } from './processes.js';
import { SingleVariantArgs } from './single-variant-args.js';
import { variantTarget } from './target.js';
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

const WARM_UP_REQUESTS = 2_000;
/** One at a time: how often V8's caches lose an entry depends on how many requests are in flight. */
const CONNECTIONS = 1;
/** A bound in time on each load run: far above what the slowest variant needs, logging every miss. */
const MAX_SECONDS = 300;
/** Where the module's compiled code lies: the functions the misses are put down to. */
const MODULE_CODE = '/dist-bench/lib/';

/** A function's compiled code: where it starts, how long it is, and its name with its file and line. */
interface Code {
  start: number;
  size: number;
  name: string;
}

/** The misses of the measured requests, by the function and key (`LoadIC key`) they happened at. */
interface Misses {
  total: number;
  inModule: number;
  bySite: Map<string, number>;
}

/**
 * Reads a `--log-ic` log: every compiled function (`code-creation` lines), and
 * each miss in the megamorphic state (`LoadIC,pc,time,line,column,N,N,map,key,…`,
 * and the same for `KeyedLoadIC`, `StoreIC`, `KeyedStoreIC`) from byte `from` on.
 */
function missesIn(log: string, from: number): Misses {
  const text = readFileSync(log);
  const codes = new Map<number, Code>();
  for (const line of text.toString('latin1').split('\n')) {
    if (!line.startsWith('code-creation,')) continue;
    const [, , , , address, size, name] = line.split(',');
    const start = Number.parseInt(address, 16);
    if (Number.isFinite(start)) codes.set(start, { start, size: Number(size), name: name ?? '' });
  }
  const sorted = [...codes.values()].sort((a, b) => a.start - b.start);
  const codeAt = (pc: number): Code | undefined => {
    let [low, high] = [0, sorted.length - 1];
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (sorted[middle].start <= pc) low = middle + 1;
      else high = middle - 1;
    }
    const code = sorted[high];
    return code && pc < code.start + code.size ? code : undefined;
  };
  const misses: Misses = { total: 0, inModule: 0, bySite: new Map() };
  for (const line of text.subarray(from).toString('latin1').split('\n')) {
    if (!/^(Keyed)?(Load|Store)IC,/.test(line)) continue;
    const [kind, pc, , , , before, after, , key] = line.split(',');
    if (before !== 'N' || after !== 'N') continue;
    misses.total += 1;
    const name = codeAt(Number.parseInt(pc, 16))?.name ?? '';
    if (!name.includes(MODULE_CODE)) continue;
    misses.inModule += 1;
    const site = `${name.replace(/file:\/\/\S*\/dist-bench\//, '')} ${kind} ${key}`;
    misses.bySite.set(site, (misses.bySite.get(site) ?? 0) + 1);
  }
  return misses;
}

async function measure(variant: Variant, dir: string): Promise<Misses & { served: number }> {
  const log = join(dir, `${variant.name}.log`);
  const running = await start(variant, join(import.meta.dirname, 'server.js'), ['--log-ic', `--logfile=${log}`, '--no-logfile-per-isolate']);
  const measured = async (): Promise<{ from: number; served: number }> => {
    await signIn(running);
    const target = variantTarget(running);
    await loadTarget(target, MAX_SECONDS, CONNECTIONS, false, WARM_UP_REQUESTS);
    // V8 writes its log through a buffer: what is still in it belongs to the warm-up, a few dozen lines at most.
    const from = statSync(log).size;
    return { from, served: (await loadTarget(target, MAX_SECONDS, CONNECTIONS, false, requests)).total };
  };
  // The log is whole once the process has ended.
  const { from, served } = await measured().finally(() => stop(running));
  return { ...missesIn(log, from), served };
}

const perRequest = (count: number, served: number): string => (count / served).toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'nestjs-ajax-ic-'));
try {
  console.log(`${requests.toLocaleString('en')} requests per variant after ${WARM_UP_REQUESTS.toLocaleString('en')} to warm up, one at a time; Node ${process.version}\n`);
  console.log("| variant | platform | V8 cache misses per request | of them in the module's functions |");
  console.log('|---|---|---:|---:|');
  const siteLines: string[] = [];
  for (const variant of variants) {
    const m = await measure(variant, dir);
    console.log(`| ${variant.name} | ${variant.platform} | ${perRequest(m.total, m.served)} | ${perRequest(m.inModule, m.served)} |`);
    const often = [...m.bySite].filter(([, count]) => count / m.served >= 1 / 3).sort((a, b) => b[1] - a[1]);
    for (const [site, count] of often) siteLines.push(`${variant.name}: ${perRequest(count, m.served)} ${site}`);
  }
  if (sites) console.log(`\nThe module's sites that miss at least once every three requests:\n${siteLines.join('\n') || '(none)'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
