import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The line where the demo names its platform and address, as demo/main.ts prints it. */
const LISTENING = /demo on (\S+) listening on (http:\/\/\S+?)\/\s/;

/** Building the demo and starting it: tsc takes most of it. */
const STARTUP_MS = 90_000;

/** A demo running in a process of its own. */
export interface DemoProcess {
  /** Base URL, e.g. http://127.0.0.1:43121 */
  url: string;
  /** Stops it as Ctrl+C would, and waits until it has ended. */
  stop(): Promise<void>;
}

/**
 * Starts the demo the way the README does, `PLATFORM=… npm run demo` (so it
 * is built from the sources first), on a free loopback port, with sessions in
 * memory whatever this shell's REDIS_URL says. Resolves once it listens; if
 * it ends first, rejects with what it printed.
 */
export async function startDemoProcess(platform: string): Promise<DemoProcess> {
  const { REDIS_URL: _redis, SESSION_SECRET: _secret, ...env } = process.env;
  // A process group of its own: stopping it reaches npm and the demo that npm started.
  const child = spawn('npm', ['run', 'demo'], {
    cwd: ROOT,
    env: { ...env, PLATFORM: platform, PORT: '0', HOST: '127.0.0.1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid, 'SIGINT');
    await exited;
  };
  let output = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((done, fail) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = LISTENING.exec(output);
        if (!found) return;
        // A PLATFORM the demo ignored would pass every scenario on the default platform.
        if (found[1] === platform) done(found[2]);
        else fail(new Error(`PLATFORM=${platform}, but the demo says it runs on ${found[1]}`));
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      exited.then(([code, signal]) => fail(new Error(`The demo on ${platform} ended (${signal ?? code}) before it listened:\n${output}`)), fail);
      timer = setTimeout(() => fail(new Error(`The demo on ${platform} did not listen within ${STARTUP_MS} ms:\n${output}`)), STARTUP_MS);
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
