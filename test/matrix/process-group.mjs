// Child processes of the consumer matrix, each in a process group of its own,
// so that a time-out or an interrupted run stops a command with everything it
// started (npm's own children, jest's workers), not only the command itself.
import { spawn } from 'node:child_process';

const running = new Set();

/**
 * Runs a command to its end, at most `timeout` ms (then its whole group is
 * killed), and gives its exit code and output.
 */
export function run(command, args, { cwd, env, timeout }) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      done({ code: code ?? signal ?? 1, stdout, output: `${stdout}${stderr}`, timedOut });
    });
  });
}

/** Starts a long-running command in a group of its own; `stop()` ends the group. */
export function start(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('close', () => running.delete(child));
  return { child, stop: () => killGroup(child) };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Stops every group still running: on SIGINT/SIGTERM, before the runner exits. */
export function stopAll() {
  for (const child of running) killGroup(child);
}
