import { type AloneLoad, runAlone } from './run-alone.js';
import { SingleVariantArgs } from './single-variant-args.js';
import type { Variant } from './variants.js';

/**
 * `node dist-bench/bench/gc-cost.js [--requests N] [--no-pretenuring] [variant …]`:
 * the garbage collector's work per request of each variant and of the one it
 * is compared with. Its counts and the memory freed came out within a few
 * percent between runs on this shared machine, which no timing does here;
 * its pause times vary with the load as any time does. Without names,
 * every variant but the breakdown and Redis ones.
 *
 * Each variant's server runs with `--trace-gc` and a young generation held
 * at 16 MiB (`--min-semi-space-size=16 --max-semi-space-size=16`, so the
 * count of young collections follows what the requests allocate), signs its
 * visitor in, takes 10,000 requests to warm up, then `--requests` (default
 * 40,000), 20 at a time; the collections reported during those are summed.
 * `--no-pretenuring` adds V8's `--no-allocation-site-pretenuring`: V8 then
 * never allocates objects of a site straight into the old generation, which
 * shows whether a variant's extra collector time comes from that decision
 * (bench/RESULTS.md).
 */

const args = new SingleVariantArgs(process.argv.slice(2));
const requests = args.count('--requests', 40_000, 1_000);
const noPretenuring = args.flag('--no-pretenuring');
const variants = args.variants('--requests N and --no-pretenuring');

const LOAD: AloneLoad = { warmUp: 10_000, requests, connections: 20, maxSeconds: 120 };

/** What the collector reported during the measured requests. */
interface Collections {
  /** Young-generation collections (scavenges), and their pauses in ms. */
  young: number;
  youngMs: number;
  /** Old-generation collections, and their pauses with their incremental marking steps, in ms. */
  old: number;
  oldMs: number;
  /** Heap freed by all collections, in MiB. */
  freedMiB: number;
}

/**
 * Sums `--trace-gc` lines: `[pid:addr] 123 ms: Scavenge 48.1 (69.5) -> 39.9 (70.7) MB, 8.04 / 1.05 ms …` on Node 20,
 * `… MB, pooled: 0 MB, 8.04 / 1.05 ms …` on Node 22 and 24.
 */
function collectionsOf(lines: readonly string[]): Collections {
  const sum: Collections = { young: 0, youngMs: 0, old: 0, oldMs: 0, freedMiB: 0 };
  for (const line of lines) {
    const match = /ms: ([A-Za-z -]+?)(?: \([a-z]+\))? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (!match) continue;
    const [, kind, before, after, pause] = match;
    sum.freedMiB += Number(before) - Number(after);
    if (/Scaveng|Minor/.test(kind)) {
      sum.young += 1;
      sum.youngMs += Number(pause);
    } else {
      sum.old += 1;
      sum.oldMs += Number(pause) + Number(/\(\+ ([\d.]+) ms in/.exec(line)?.[1] ?? 0);
    }
  }
  return sum;
}

async function measure(variant: Variant): Promise<Collections & { served: number }> {
  const lines: string[] = [];
  const flags = ['--expose-gc', '--trace-gc', '--min-semi-space-size=16', '--max-semi-space-size=16', ...(noPretenuring ? ['--no-allocation-site-pretenuring'] : [])];
  // A collection's line may still be on its way when the requests end.
  const settled = async (): Promise<number> => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return lines.length;
  };
  const [{ from, to, served }] = await runAlone(variant, flags, LOAD, settled, (line) => lines.push(line));
  const collections = collectionsOf(lines.slice(from, to));
  // 40,000 small requests fill a 16 MiB young generation many times over: none read means the lines were not understood.
  if (collections.young === 0) throw new Error(`${variant.name}: no young collection read from the server's --trace-gc lines (has their format changed?)`);
  return { ...collections, served };
}

/** `total` per request, times `scale` (1,000 for µs from ms, or for a count per 1,000 requests; 1,024 for KiB from MiB). */
const perRequest = (total: number, served: number, scale: number): string => ((total * scale) / served).toFixed(2);

console.log(
  `${requests.toLocaleString('en')} requests per variant after ${LOAD.warmUp.toLocaleString('en')} to warm up, ${LOAD.connections} at a time; ` +
    `young generation held at 16 MiB${noPretenuring ? '; --no-allocation-site-pretenuring' : ''}; Node ${process.version}\n`,
);
console.log('| variant | platform | young collections per 1,000 requests | young-collection µs per request | old collections | old-collection µs per request | KiB freed per request |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const variant of variants) {
  const c = await measure(variant);
  console.log(
    `| ${variant.name} | ${variant.platform} | ${perRequest(c.young, c.served, 1_000)} | ${perRequest(c.youngMs, c.served, 1_000)} | ${c.old} | ` +
      `${perRequest(c.oldMs, c.served, 1_000)} | ${perRequest(c.freedMiB, c.served, 1_024)} |`,
  );
}
