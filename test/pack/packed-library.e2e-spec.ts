import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { packedTarball } from '../fixtures/packed-tarball.js';

const root = resolve(import.meta.dirname, '../..');

type Results = Record<string, { status: number; allow: string | null; location: string | null; body: unknown }> & {
  badOptions: { isConfigurationError: boolean; message: string };
  unavailable: number;
};

/**
 * Packs the library with `npm pack` and runs a Nest 12 app that imports the
 * tarball's contents as `nestjs-ajax`, compiled once as an ES module app and
 * once as a CommonJS one: the published `exports`, `types` and `files` must
 * be enough for every public name, typed and at run time, in both.
 */
describe('the packed library', () => {
  let dir: string;
  let installed: string;
  let files: string[];
  const results: Partial<Record<'module' | 'commonjs', Results>> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestjs-ajax-consumers-'));
    const packed = await packedTarball();
    files = packed.files;
    installed = join(dir, 'node_modules', 'nestjs-ajax');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', packed.tarball, '-C', installed, '--strip-components=1'], { timeout: 60_000 });
    // The apps' other dependencies are the project's own, linked rather than downloaded.
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name !== '.bin' && name !== 'nestjs-ajax') symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
    }
    for (const type of ['module', 'commonjs'] as const) {
      const app = join(dir, type);
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `consumer-${type}`, private: true, type }));
      copyFileSync(join(root, 'test/pack/consumer/app.ts'), join(app, 'app.ts'));
      const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
      tsconfig.compilerOptions = { ...tsconfig.compilerOptions, rootDir: '.', outDir: 'out', types: ['node'], declaration: false, skipLibCheck: false };
      tsconfig.include = ['app.ts'];
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, stdio: 'inherit', timeout: 120_000 });
      results[type] = JSON.parse(execFileSync(process.execPath, ['out/app.js'], { cwd: app, encoding: 'utf8', timeout: 60_000 }));
    }
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds both builds of both entries with their types, the README, changelog and licence, and no sources or tests', () => {
    // swagger/package.json: nestjs-ajax/swagger for the resolvers that ignore `exports`.
    const documents = ['package.json', 'swagger/package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];
    const entries = ['index', 'swagger/index'].flatMap((entry) => ['esm', 'cjs'].flatMap((build) => [`dist/${build}/${entry}.js`, `dist/${build}/${entry}.d.ts`]));
    expect(files).toEqual(expect.arrayContaining([...documents, ...entries, 'dist/cjs/package.json']));
    expect(files.filter((f) => !f.startsWith('dist/esm/') && !f.startsWith('dist/cjs/') && !documents.includes(f))).toEqual([]);
    expect(files.some((f) => f.endsWith('.spec.js'))).toBe(false);
  });

  it.each(['module', 'commonjs'] as const)('type-checks and runs an app (%s) that uses every public name, with the documented answers', (type) => {
    const answers = results[type]!;
    expect(answers.unavailable).toBe(503);
    expect(answers.badOptions).toEqual({ isConfigurationError: true, message: expect.stringContaining('"messages.level" must be a whole number') });
    expect(answers.anonymousVote).toMatchObject({ status: 401, body: { status: 'error', error: 'Unauthorized' } });
    expect(answers.anonymousResults).toMatchObject({ status: 200, body: { votes: 0, tags: 'error' } });
    expect(answers.login).toMatchObject({ status: 302, location: '/' });
    expect(answers.status).toMatchObject({ status: 200, body: { signedIn: true, pending: 1, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] } });
    expect(answers.voteWithGet).toMatchObject({ status: 405, allow: 'POST', body: { status: 'error', error: 'Method not allowed' } });
    expect(answers.invalidVote).toMatchObject({ status: 200, body: { success: false, messages: [{ message: 'Invalid choice.', tags: 'danger' }] } });
    expect(answers.vote).toMatchObject({ status: 200, body: { votes: 1, success: true, messages: [{ message: 'Vote recorded.', tags: 'success' }] } });
    expect(answers.editWithPost).toMatchObject({ status: 405, allow: 'PUT, PATCH' });
    expect(answers.edit).toMatchObject({ status: 200, body: { edited: true } });
    expect(answers.unknown).toMatchObject({ status: 404, body: { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' } });
  });

  it('warns once, with its code, when a loader puts both builds in one process', () => {
    const both = "require('./dist/cjs/index.js'); import('./dist/esm/index.js').then(() => import('./dist/esm/ajax.module.js'));";
    const { stderr, status } = spawnSync(process.execPath, ['-e', both], { cwd: installed, encoding: 'utf8', timeout: 60_000 });
    expect(status).toBe(0);
    expect(stderr.match(/\[NESTJS_AJAX_TWO_BUILDS\] Warning: nestjs-ajax is loaded twice/g)).toHaveLength(1);
  });

  it('warns when a bundler puts both builds in one bundle (esbuild: import in one file, require in another)', async () => {
    const bundle = join(dir, 'bundle');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'entry.mjs'), "import { AjaxModule } from 'nestjs-ajax';\nimport legacy from './legacy.cjs';\nconsole.log(JSON.stringify({ same: legacy.AjaxModule === AjaxModule }));\n");
    writeFileSync(join(bundle, 'legacy.cjs'), "exports.AjaxModule = require('nestjs-ajax').AjaxModule;\n");
    await build({
      absWorkingDir: bundle,
      entryPoints: ['entry.mjs'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: 'out.cjs',
      external: ['@nestjs/*', 'rxjs', 'reflect-metadata', 'express', 'express-session', 'redis'],
      logLevel: 'silent',
    });
    const { stdout, stderr, status } = spawnSync(process.execPath, ['out.cjs'], { cwd: bundle, encoding: 'utf8', timeout: 60_000 });
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ same: false });
    expect(stderr.match(/\[NESTJS_AJAX_TWO_BUILDS\] Warning/g)).toHaveLength(1);
  });

  it('does not warn when one build is loaded, however often it is asked for', () => {
    const one = "require('nestjs-ajax'); import('nestjs-ajax').then(() => require('nestjs-ajax'));";
    const { stderr, status } = spawnSync(process.execPath, ['-e', one], { cwd: join(dir, 'commonjs'), encoding: 'utf8', timeout: 60_000 });
    expect(status).toBe(0);
    expect(stderr).not.toContain('NESTJS_AJAX_TWO_BUILDS');
  });
});
