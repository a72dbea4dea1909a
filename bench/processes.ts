import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loopbackUrl } from './client.js';
import type { Variant } from './variants.js';

/** What a server process serves, found by its name: a variant, or an app of the scaling section. */
export interface Served {
  name: string;
}

/** A variant's server process (or a scaling app's), ready for requests. */
export interface Running<App extends Served = Variant> {
  variant: App;
  child: ChildProcess;
  url: string;
  /** The signed-in visitors' session cookies, one request to each in turn. */
  cookies?: string[];
}

/** How long a variant's process may take to listen: several start at once on a small machine. */
const START_TIMEOUT_MS = 60_000;
/** How long a process may take to exit on SIGINT (a CPU profile is written then) before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts `server.js <variant>` in a process of its own and resolves once it
 * prints `READY <port>`; a process that exits or stays silent first is a
 * failed start (and is killed). `onLine` hears every other line it prints
 * (what `--trace-gc` reports, for bench/gc-cost.ts). `launcher` is a
 * command Node runs under, with its arguments (valgrind, for
 * bench/instructions.ts); the process's id is then the launcher's.
 */
export function start<App extends Served>(
  variant: App,
  serverJs: string,
  nodeFlags: string[],
  onLine?: (line: string) => void,
  launcher: readonly string[] = [],
): Promise<Running<App>> {
  const [command, ...commandArgs] = [...launcher, process.execPath, ...nodeFlags, serverJs, variant.name];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveStart, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`variant ${variant.name} did not listen within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const exited = (code: number | null) => fail(new Error(`variant ${variant.name} exited with ${code} before it was ready`));
    child.once('exit', exited);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /^READY (\d+)$/.exec(line)?.[1];
      if (!port) return onLine?.(line);
      clearTimeout(timer);
      child.off('exit', exited);
      resolveStart({ variant, child, url: loopbackUrl(Number(port)) });
    });
  });
}

/**
 * Starts every variant at once: starting is not measured, so nothing is
 * gained by waiting for one before the next. If one fails, the others are
 * stopped.
 */
export async function startAll<App extends Served>(variants: readonly App[], serverJs: string, nodeFlagsOf: (variant: App) => string[]): Promise<Running<App>[]> {
  const settled = await Promise.allSettled(variants.map((variant) => start(variant, serverJs, nodeFlagsOf(variant))));
  const running = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(running.map(stop));
    throw failed.reason;
  }
  return running;
}

/** Stops a variant's process: SIGINT (a normal exit), then SIGKILL if it lingers. */
export function stop({ child }: Running<Served>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGINT');
  });
}
