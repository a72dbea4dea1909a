// Installs the matrix needs once per checkout (Nest 11 for the suite, other
// Node versions): each in a folder of its own under node_modules/.cache,
// assembled beside it and renamed into place, so an interrupted install is
// never taken for a finished one.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { npmWithRetry } from './npm-with-retry.mjs';

/** The environment of a nested npm or jest: none of the npm settings or Node options of whatever started the script. */
export function withoutNpmSettings(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE_OPTIONS'));
}

/**
 * The folder `node_modules/.cache/<name>`, made by running `npm <args>` in a
 * folder that `prepare(folder)` fills first, unless it already holds `probe`
 * (a path inside it that only a finished install has).
 */
export async function cachedInstall(root, { name, probe, prepare, args, env = withoutNpmSettings() }) {
  const folder = join(root, 'node_modules/.cache', name);
  if (existsSync(join(folder, probe))) return folder;
  const staging = `${folder}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  prepare(staging);
  const result = await npmWithRetry(args, { cwd: staging, env, timeout: 300_000 });
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} for ${name} failed${result.timedOut ? ' (timed out)' : ''}:\n${result.output.slice(-3000)}`);
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
  return folder;
}
