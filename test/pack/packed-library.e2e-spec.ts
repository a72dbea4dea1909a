import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * Packs the library with `npm pack` and runs a Nest 12 app that imports the
 * tarball's contents as `nestjs-ajax`: the published `exports`, `types` and
 * `files` must be enough for every public name, typed and at run time.
 */
describe('the packed library', () => {
  let dir: string;
  let files: string[];
  let results: Record<string, { status: number; allow: string | null; location: string | null; body: unknown }> & {
    badOptions: { isConfigurationError: boolean; message: string };
    unavailable: number;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestjs-ajax-pack-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0].files.map((f) => f.path);
    const app = join(dir, 'app');
    const installed = join(app, 'node_modules', 'nestjs-ajax');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', installed, '--strip-components=1']);
    // The app's other dependencies are the project's own, linked rather than downloaded.
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name !== '.bin' && name !== 'nestjs-ajax') symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name));
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    copyFileSync(join(root, 'test/pack/consumer/app.ts'), join(app, 'app.ts'));
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    tsconfig.compilerOptions = { ...tsconfig.compilerOptions, rootDir: '.', outDir: 'out', types: ['node'], declaration: false, skipLibCheck: false };
    tsconfig.include = ['app.ts'];
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, stdio: 'inherit' });
    results = JSON.parse(execFileSync(process.execPath, ['out/app.js'], { cwd: app, encoding: 'utf8' }));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the built library and README, and no sources or tests', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f))).toEqual([]);
    expect(files.some((f) => f.endsWith('.spec.js'))).toBe(false);
  });

  it('type-checks and runs an app that uses every public name, with the documented answers', () => {
    expect(results.unavailable).toBe(503);
    expect(results.badOptions).toEqual({ isConfigurationError: true, message: expect.stringContaining('"messages.level" must be a whole number') });
    expect(results.anonymousVote).toMatchObject({ status: 401, body: { status: 'error', error: 'Unauthorized' } });
    expect(results.anonymousResults).toMatchObject({ status: 200, body: { votes: 0, tags: 'error' } });
    expect(results.login).toMatchObject({ status: 302, location: '/' });
    expect(results.status).toMatchObject({ status: 200, body: { signedIn: true, pending: 1, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] } });
    expect(results.voteWithGet).toMatchObject({ status: 405, allow: 'POST', body: { status: 'error', error: 'Method not allowed' } });
    expect(results.invalidVote).toMatchObject({ status: 200, body: { success: false, messages: [{ message: 'Invalid choice.', tags: 'danger' }] } });
    expect(results.vote).toMatchObject({ status: 200, body: { votes: 1, success: true, messages: [{ message: 'Vote recorded.', tags: 'success' }] } });
    expect(results.editWithPost).toMatchObject({ status: 405, allow: 'PUT, PATCH' });
    expect(results.edit).toMatchObject({ status: 200, body: { edited: true } });
    expect(results.unknown).toMatchObject({ status: 404, body: { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' } });
  });
});
