import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * `node dist-bench/bench/async-context.js`: what `AsyncLocalStorage` costs
 * this Node per request that awaits as many promises as the benchmark's
 * routes create (`npm run bench:promises`: 18). A loop of such "requests",
 * in three rounds each, alone and each inside `AsyncLocalStorage.run()`;
 * µs per request. On Node 20 and 22 the storage runs V8's promise hooks for
 * every promise of the process once it is entered; Node 24 (and Node 22
 * with `--experimental-async-context-frame`) carries the context without
 * them. A tight loop, not an app: it shows the order of the cost, which
 * bench/RESULTS.md sets beside the CPU profiles of the apps.
 */

const REQUESTS = 200_000;
const PROMISES_PER_REQUEST = 18;
const storage = new AsyncLocalStorage<number>();

async function request(): Promise<void> {
  for (let i = 0; i < PROMISES_PER_REQUEST; i++) await Promise.resolve(i);
}

async function round(inContext: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    if (inContext) await storage.run(i, request);
    else await request();
  }
  return Number(process.hrtime.bigint() - start) / REQUESTS / 1_000;
}

// The plain rounds first: once a storage has been entered, Node 20's hooks stay on for the process.
const plain: number[] = [];
for (let i = 0; i < 3; i++) plain.push(await round(false));
const entered: number[] = [];
for (let i = 0; i < 3; i++) entered.push(await round(true));
const list = (values: number[]): string => values.map((value) => value.toFixed(2)).join(', ');
console.log(`Node ${process.version}${process.execArgv.length > 0 ? ` ${process.execArgv.join(' ')}` : ''}: ${PROMISES_PER_REQUEST} awaited promises per request`);
console.log(`  alone: ${list(plain)} µs per request`);
console.log(`  in AsyncLocalStorage.run(): ${list(entered)} µs per request`);
