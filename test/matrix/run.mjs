#!/usr/bin/env node
// The consumer matrix: real Nest apps, each installing the packed library from
// its tarball exactly as a user installs a published package (plain
// `npm install`, no flags), then building, running and testing it.
//
//   node test/matrix/run.mjs [--json] [--keep] [--tarball <file.tgz>] [row …]
//
// Rows are the folders of test/matrix/rows/: each holds what differs between
// apps (package.json with its lock file, tsconfig, jest config); the app's
// sources and its e2e spec are shared, in test/matrix/app/. Every row:
//   1. npm install <tarball>     peers resolved against the row's Nest version
//   2. npm run build             the app compiled by the row's TypeScript
//   3. node dist/main.js         the app served over HTTP and checked with fetch
//   4. one copy                  require() and import() of 'nestjs-ajax' give the same classes
//   5. npm run test:e2e          the app's own jest spec, when the row has one
// Exits non-zero when any step of any row fails. Installs come from npm's
// cache when it has them (--prefer-offline).
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deepStrictEqual } from 'node:assert/strict';

const here = import.meta.dirname;
const root = resolve(here, '../..');
const STEP_TIMEOUT_MS = 240_000;

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
const rows = args.length > 0 ? args : allRows;
for (const row of rows) {
  if (!allRows.includes(row)) {
    console.error(`Unknown row "${row}"; the rows are: ${allRows.join(', ')}.`);
    process.exit(2);
  }
}

/** The environment of every command: none of the npm or jest settings of whatever started this script. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && !['JEST_WORKER_ID', 'NODE_OPTIONS', 'INIT_CWD'].includes(key)),
);

/** Runs a command to its end (bounded in time) and gives its exit code and output. */
function run(command, commandArgs, cwd, timeout = STEP_TIMEOUT_MS) {
  return new Promise((done) => {
    execFile(command, commandArgs, { cwd, env: cleanEnv, timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? (error.code ?? 1) : 0, stdout, output: `${stdout}${stderr}`, timedOut: Boolean(error?.killed) });
    });
  });
}

function log(line) {
  if (!asJson) console.log(line);
}

async function pack(into) {
  const result = await run('npm', ['pack', '--json', '--pack-destination', into], root);
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.output}`);
  const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
  return join(into, filename);
}

/** Starts `node dist/main.js` on a free port and waits for the line that says where it listens. */
function startApp(cwd) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['dist/main.js'], { cwd, env: { ...cleanEnv, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the app did not say where it listens within 30 s:\n${output}`));
    }, 30_000);
    const read = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done({ url: match[1].replace('[::1]', '127.0.0.1'), stop: () => child.kill('SIGTERM'), output: () => output });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the app exited with ${code} before listening:\n${output}`));
    });
  });
}

/** The README's promises over real HTTP, against the running app: 401, 404, 405 and messages. */
async function checkRunningApp(url) {
  let cookie = '';
  const call = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    return { status: res.status, allow: res.headers.get('allow'), challenge: res.headers.has('www-authenticate'), body: await res.json() };
  };
  deepStrictEqual(await call('POST', '/polls/vote', { choice: 'red' }), {
    status: 401, allow: null, challenge: true, body: { status: 'error', error: 'Unauthorized' },
  });
  deepStrictEqual(await call('GET', '/nowhere'), {
    status: 404, allow: null, challenge: false, body: { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' },
  });
  deepStrictEqual(await call('POST', '/account/login'), {
    status: 201, allow: null, challenge: false,
    body: { signedIn: true, success: true, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] },
  });
  deepStrictEqual(await call('GET', '/polls/vote'), {
    status: 405, allow: 'POST', challenge: false, body: { status: 'error', error: 'Method not allowed' },
  });
  deepStrictEqual(await call('POST', '/polls/vote', { choice: 'red' }), {
    status: 201, allow: null, challenge: false, body: { votes: 1, messages: [{ message: 'Voted red.', tags: 'success' }] },
  });
}

// Run as CommonJS from the app's folder: require() and import() must meet the same module.
const ONE_COPY = `
const required = require('nestjs-ajax');
import('nestjs-ajax').then((imported) => {
  const same = ['AjaxModule', 'MessagesService', 'AjaxExceptionFilter', 'AjaxConfigurationError'].every((name) => required[name] === imported[name]);
  console.log(JSON.stringify({ same, file: require.resolve('nestjs-ajax') }));
});
`;

async function runRow(row, tarball) {
  const steps = [];
  const work = mkdtempSync(join(tmpdir(), `nestjs-ajax-${row}-`));
  cpSync(join(here, 'app'), work, { recursive: true });
  cpSync(join(here, 'rows', row), work, { recursive: true });
  const scripts = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8')).scripts ?? {};

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
  const command = async (commandArgs) => {
    const result = await run(commandArgs[0], commandArgs.slice(1), work);
    if (result.code !== 0) throw new Error(`${commandArgs.join(' ')} exited with ${result.code}${result.timedOut ? ' (timed out)' : ''}:\n${result.output.slice(-6000)}`);
    return result.output;
  };

  log(`${row} (${work})`);
  const installed = await step('npm install <tarball>', async () => {
    const output = await command(['npm', 'install', '--no-audit', '--no-fund', '--prefer-offline', tarball]);
    // A peer or engine complaint about this package is a failure even when npm goes on.
    const complaints = output.split('\n').filter((line) => /^npm (warn|error)/.test(line) && /nestjs-ajax|ERESOLVE|peer dep/i.test(line));
    if (complaints.length > 0) throw new Error(`npm complained about the package:\n${complaints.join('\n')}`);
    const version = JSON.parse(readFileSync(join(work, 'node_modules/@nestjs/core/package.json'), 'utf8')).version;
    return `@nestjs/core ${version}; ${output.trim().split('\n').filter((line) => !/nodedir/.test(line)).slice(-1)[0]}`;
  });
  const built = installed && (await step('npm run build', () => command(['npm', 'run', 'build'])));
  if (built) {
    await step('node dist/main.js answers over HTTP', async () => {
      const app = await startApp(work);
      try {
        await checkRunningApp(app.url);
        if (/NESTJS_AJAX_TWO_BUILDS|Error/.test(app.output())) throw new Error(`the app logged a warning or an error:\n${app.output()}`);
        return app.url;
      } finally {
        app.stop();
      }
    });
  }
  if (installed) {
    await step('require() and import() load one copy', async () => {
      const result = await run(process.execPath, ['-e', ONE_COPY], work, 30_000);
      if (result.code !== 0) throw new Error(result.output);
      const { same, file } = JSON.parse(result.stdout.trim().split('\n').pop());
      if (!same || /NESTJS_AJAX_TWO_BUILDS/.test(result.output)) throw new Error(`two copies of the module's classes:\n${result.output}`);
      return file.slice(file.indexOf('node_modules'));
    });
  }
  if (installed && scripts['test:e2e']) {
    await step('npm run test:e2e (the app\'s own jest spec)', async () => {
      const output = await command(['npm', 'run', 'test:e2e']);
      return output.split('\n').find((line) => line.startsWith('Tests:'))?.trim();
    });
  }
  if (!keep) rmSync(work, { recursive: true, force: true });
  return { row, ok: steps.every((s) => s.ok) && steps.length >= 3, steps };
}

const scratch = mkdtempSync(join(tmpdir(), 'nestjs-ajax-matrix-'));
try {
  const tarball = givenTarball ? resolve(givenTarball) : await pack(scratch);
  log(`tarball: ${tarball}`);
  const report = { tarball, rows: [] };
  for (const row of rows) report.rows.push(await runRow(row, tarball));
  if (asJson) console.log(JSON.stringify(report));
  else for (const { row, ok } of report.rows) console.log(`${ok ? 'PASS' : 'FAIL'}  ${row}`);
  process.exitCode = report.rows.every((r) => r.ok) ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
