#!/usr/bin/env node
// The repository's own suite on Nest 11: installs Nest 11 from the nest11-cjs
// row's lock file into a scratch folder, then runs jest with `@nestjs/*`
// mapped there (jest.config.js reads NESTJS_AJAX_NEST_MODULES), so the
// library's sources and every spec meet Nest 11 instead of 12.
//
//   node test/matrix/suite-on-nest11.mjs [jest arguments…]
//
// Without arguments it runs the unit, e2e, trust and Redis specs (the browser,
// soak, pack and matrix specs are about other things). Exits as jest exits.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const row = join(root, 'test/matrix/rows/nest11-cjs');
const scratch = mkdtempSync(join(tmpdir(), 'nestjs-ajax-nest11-suite-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE_OPTIONS'));

try {
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(row, file), join(scratch, file));
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], { cwd: scratch, env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  const modules = join(scratch, 'node_modules');
  const version = JSON.parse(readFileSync(join(modules, '@nestjs/core/package.json'), 'utf8')).version;
  console.log(`Nest ${version} from ${modules}`);
  const jestArgs = process.argv.slice(2);
  const paths = jestArgs.some((arg) => !arg.startsWith('-')) ? [] : ['test/unit', 'test/e2e', 'test/trust', 'test/redis'];
  const result = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...jestArgs, ...paths], {
    cwd: root,
    env: { ...env, NESTJS_AJAX_NEST_MODULES: modules },
    stdio: 'inherit',
    timeout: 900_000,
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
