import { join } from 'node:path';
import type { Running } from './processes.js';
import { type AloneLoad, runAlone } from './run-alone.js';
import { SingleVariantArgs } from './single-variant-args.js';
import type { Variant } from './variants.js';

/**
 * `node dist-bench/bench/promises.js [--requests N] [variant …]`: how many
 * promises the server creates per request. Each promise is work for V8 and
 * a microtask or more, and where the app uses `AsyncLocalStorage` on Node 20
 * or 22 (`MessagesService`), each one also runs the async hook that carries
 * the context (bench/RESULTS.md). Nest's pipe chain, guard chain and
 * interceptor pipeline show up here as whole numbers that repeat exactly
 * from run to run, where no timing on this shared machine does.
 *
 * Each variant's server runs with `bench/promise-counter.js` loaded, signs
 * its visitor in, takes 2,000 requests to warm up, then `--requests`
 * (default 2,000), 10 at a time; the promises created between the two
 * counts are divided by the requests. Without names, every Nest variant but
 * the breakdown and Redis ones.
 */

const args = new SingleVariantArgs(process.argv.slice(2));
const requests = args.count('--requests', 2_000, 100);
const variants = args.variants('--requests N');

const LOAD: AloneLoad = { warmUp: 2_000, requests, connections: 10, maxSeconds: 120 };
const COUNTER = join(import.meta.dirname, 'promise-counter.js');

async function measure(variant: Variant): Promise<number> {
  const counts: number[] = [];
  let heard: (() => void) | undefined;
  const onLine = (line: string): void => {
    const match = /^PROMISES (\d+)$/.exec(line);
    if (!match) return;
    counts.push(Number(match[1]));
    heard?.();
  };
  // Asks the server for its count, and waits for the line.
  const count = (running: Running): Promise<number> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${variant.name}: no PROMISES line within 10 s of SIGUSR2`)), 10_000);
      heard = () => {
        clearTimeout(timer);
        heard = undefined;
        resolve(counts[counts.length - 1]);
      };
      running.child.kill('SIGUSR2');
    });
  const [{ from, to, served }] = await runAlone(variant, ['--import', COUNTER], LOAD, count, onLine);
  return (to - from) / served;
}

console.log(`${requests.toLocaleString('en')} requests per variant after ${LOAD.warmUp.toLocaleString('en')} to warm up, ${LOAD.connections} at a time; Node ${process.version}\n`);
console.log('| variant | platform | promises per request |');
console.log('|---|---|---:|');
for (const variant of variants) {
  console.log(`| ${variant.name} | ${variant.platform} | ${(await measure(variant)).toFixed(1)} |`);
}
