import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packedTarball } from '../fixtures/packed-tarball.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * An app folder with the packed library in its node_modules and the project's
 * own dependencies linked beside it, `@nestjs/swagger` among them or not.
 */
function installApp(folder: string, tarball: string, withSwagger: boolean): void {
  const modules = join(folder, 'node_modules');
  mkdirSync(join(modules, 'nestjs-ajax'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'nestjs-ajax'), '--strip-components=1'], { timeout: 60_000 });
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === '.bin' || name === 'nestjs-ajax' || name === '@nestjs') continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  mkdirSync(join(modules, '@nestjs'));
  for (const name of readdirSync(join(root, 'node_modules/@nestjs'))) {
    if (name !== 'swagger' || withSwagger) symlinkSync(join(root, 'node_modules/@nestjs', name), join(modules, '@nestjs', name));
  }
}

/** Runs a script in an app folder: its exit status, output and errors. */
function run(folder: string, file: string, source: string): { status: number | null; stdout: string; stderr: string } {
  writeFileSync(join(folder, file), source);
  return spawnSync(process.execPath, [file], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
}

/** Documents one `@Ajax()` route of an app with the packed entry, and prints its documented statuses. */
const documentOneRoute = (load: string): string => `
${load}
class Polls { vote() { return {}; } }
const vote = Object.getOwnPropertyDescriptor(Polls.prototype, 'vote');
for (const decorate of [swagger.ApiAjaxResponses({ loginRequired: true, requirePost: true }), ajax.Ajax({ loginRequired: true, requirePost: true }), common.Post(':id/vote')]) {
  decorate(Polls.prototype, 'vote', vote);
}
common.Controller('polls')(Polls);
class App {}
common.Module({ imports: [ajax.AjaxModule.forRoot()], controllers: [Polls] })(App);
const app = await core.NestFactory.create(App, { logger: false });
await app.init();
const document = nestSwagger.SwaggerModule.createDocument(app, new nestSwagger.DocumentBuilder().build());
await app.close();
process.stdout.write(JSON.stringify(Object.keys(document.paths['/polls/{id}/vote'].post.responses)));
`;

/**
 * The `nestjs-ajax/swagger` entry of the packed library: it resolves in both
 * module systems and documents an app, while the main entry never loads its
 * optional peer `@nestjs/swagger`, so an app without it installed runs.
 */
describe('the nestjs-ajax/swagger entry of the packed library', () => {
  let dir: string;
  let withSwagger: string;
  let withoutSwagger: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestjs-ajax-swagger-entry-'));
    const { tarball } = await packedTarball();
    withSwagger = join(dir, 'with-swagger');
    withoutSwagger = join(dir, 'without-swagger');
    installApp(withSwagger, tarball, true);
    installApp(withoutSwagger, tarball, false);
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is never loaded by the main entry: without @nestjs/swagger installed, require() and import() of nestjs-ajax work', () => {
    const loaded = run(
      withoutSwagger,
      'main.mjs',
      "import { createRequire } from 'node:module';\nconst esm = await import('nestjs-ajax');\nconst cjs = createRequire(import.meta.url)('nestjs-ajax');\nconsole.log(typeof esm.Ajax, typeof cjs.Ajax);\n",
    );
    expect([loaded.status, loaded.stderr, loaded.stdout.trim()]).toEqual([0, '', 'function function']);
    const cached = run(withSwagger, 'main.cjs', "require('nestjs-ajax');\nconsole.log(Object.keys(require.cache).filter((file) => file.includes('@nestjs/swagger')).length);\n");
    expect([cached.status, cached.stdout.trim()]).toEqual([0, '0']);
  });

  it('fails to load without @nestjs/swagger, naming it', () => {
    const esm = run(withoutSwagger, 'entry.mjs', "await import('nestjs-ajax/swagger');\n");
    const cjs = run(withoutSwagger, 'entry.cjs', "require('nestjs-ajax/swagger');\n");
    expect([esm.status, cjs.status]).toEqual([1, 1]);
    expect(esm.stderr).toContain("Cannot find package '@nestjs/swagger'");
    expect(cjs.stderr).toContain("'@nestjs/swagger'");
  });

  it.each([
    ['ES module', 'app.mjs', "import 'reflect-metadata';\nimport * as common from '@nestjs/common';\nimport * as core from '@nestjs/core';\nimport * as nestSwagger from '@nestjs/swagger';\nimport * as ajax from 'nestjs-ajax';\nimport * as swagger from 'nestjs-ajax/swagger';"],
    [
      'CommonJS',
      'app.cjs',
      "require('reflect-metadata');\nconst common = require('@nestjs/common');\nconst core = require('@nestjs/core');\nconst nestSwagger = require('@nestjs/swagger');\nconst ajax = require('nestjs-ajax');\nconst swagger = require('nestjs-ajax/swagger');\nvoid (async () => {",
    ],
  ])('resolves and documents an app from %s', (_system, file, load) => {
    const source = documentOneRoute(load) + (file.endsWith('.cjs') ? '})();\n' : '');
    const { status, stdout, stderr } = run(withSwagger, file, source);
    expect([status, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toEqual(['401', '403', '405', '2XX', '4XX', '5XX']);
  });

  it('has a CommonJS build, for the tools that resolve by the require condition (jest), which loads on its own', () => {
    const build = join(withSwagger, 'node_modules/nestjs-ajax/dist/cjs/swagger/index.js');
    const { status, stdout, stderr } = run(withSwagger, 'cjs-build.cjs', `const swagger = require(${JSON.stringify(build)});\nconsole.log(Object.keys(swagger).sort().join(' '));\n`);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout.trim()).toBe('AjaxErrorBody AjaxMessage AjaxProblemDetails ApiAjaxResponses');
  });
});
