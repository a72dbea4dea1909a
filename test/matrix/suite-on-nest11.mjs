#!/usr/bin/env node
// The repository's own suite on Nest 11: installs the Nest 11 packages of
// test/matrix/nest11-suite (its lock file) once into node_modules/.cache,
// then runs jest with `@nestjs/*` mapped there (jest.config.js reads
// NESTJS_AJAX_NEST_MODULES), so the library's sources and every spec meet
// Nest 11 instead of 12.
//
//   node test/matrix/suite-on-nest11.mjs [jest options…] [-- test paths…]
//
// Without test paths it runs the unit, e2e, trust and Redis specs (the
// browser, soak, pack and matrix specs are about other things). Exits as jest
// exits.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cachedInstall, withoutNpmSettings } from './cached-install.mjs';

const root = resolve(import.meta.dirname, '../..');
const source = join(root, 'test/matrix/nest11-suite');
const env = withoutNpmSettings();

/** The install, kept under the hash of its lock file: made once, reused until the lock changes. */
async function installNest11() {
  const lock = readFileSync(join(source, 'package-lock.json'));
  const folder = await cachedInstall(root, {
    name: `nestjs-ajax-nest11-${createHash('sha256').update(lock).digest('hex').slice(0, 16)}`,
    probe: 'node_modules/@nestjs/core/package.json',
    prepare: (staging) => {
      for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(source, file), join(staging, file));
    },
    args: ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'],
    env,
  });
  return join(folder, 'node_modules');
}

const modules = await installNest11();
const version = JSON.parse(readFileSync(join(modules, '@nestjs/core/package.json'), 'utf8')).version;
console.log(`Nest ${version} from ${modules}`);
const args = process.argv.slice(2);
const separator = args.indexOf('--');
const options = separator === -1 ? args : args.slice(0, separator);
const paths = separator === -1 ? ['test/unit', 'test/e2e', 'test/trust', 'test/redis'] : args.slice(separator + 1);
const result = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...options, ...paths], {
  cwd: root,
  env: { ...env, NESTJS_AJAX_NEST_MODULES: modules },
  stdio: 'inherit',
  timeout: 900_000,
});
process.exitCode = result.status ?? 1;
