#!/usr/bin/env node
// Builds the package into dist/: the ES module build (dist/esm) and the
// CommonJS build (dist/cjs, with its {"type":"commonjs"} package.json), from
// the same sources. Both builds share one set of declarations, dist/cjs's:
// each entry's dist/esm/…/index.d.ts re-exports them, so TypeScript sees each
// class once, as Node loads it once. The entries are the main one and
// nestjs-ajax/swagger (dist/*/swagger); the package's swagger/package.json
// points resolvers that ignore `exports` (TypeScript's node10) at the latter.
// The new dist/ is assembled beside the old one and put in its place by two
// renames at the end, so a pack running meanwhile sees the old build or the
// new one, not one half-written (though, for that moment, possibly none).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const staging = mkdtempSync(join(root, '.dist-'));

try {
  const compile = (project, outDir, extra = []) =>
    execFileSync(process.execPath, [tsc, '-p', project, '--outDir', outDir, ...extra], { cwd: root, stdio: 'inherit' });
  compile('tsconfig.build.json', join(staging, 'esm'), ['--declaration', 'false']);
  compile('tsconfig.build-cjs.json', join(staging, 'cjs'));
  writeFileSync(join(staging, 'cjs/package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(staging, 'esm/index.d.ts'), "export * from '../cjs/index.js';\n");
  writeFileSync(join(staging, 'esm/swagger/index.d.ts'), "export * from '../../cjs/swagger/index.js';\n");

  const formatFile = join(staging, 'cjs/build-format.js');
  const source = readFileSync(formatFile, 'utf8');
  const labelled = source.replace(/(exports\.BUILD_FORMAT = )'ES module';/, "$1'CommonJS';");
  if (labelled === source) throw new Error(`${formatFile} no longer assigns the label this build rewrites`);
  writeFileSync(formatFile, labelled);

  const entries = ['index', 'swagger/index'].flatMap((entry) => ['esm', 'cjs'].flatMap((build) => [`${build}/${entry}.js`, `${build}/${entry}.d.ts`]));
  for (const entry of entries) {
    if (!existsSync(join(staging, entry))) throw new Error(`the build has no ${entry}`);
  }
  const dist = join(root, 'dist');
  const old = `${staging}-old`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}
