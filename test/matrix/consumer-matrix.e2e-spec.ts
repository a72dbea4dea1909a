import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packedTarball } from '../fixtures/packed-tarball.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');
const rows = readdirSync(join(here, 'rows')).sort();

interface Step {
  name: string;
  ok: boolean;
  detail?: string;
}
interface Row {
  row: string;
  ok: boolean;
  steps: Step[];
}

/**
 * The consumer matrix (test/matrix/run.mjs): Nest 11 on CommonJS with jest,
 * Nest 12 on CommonJS and Nest 12 on ES modules, each installing the packed
 * tarball with a plain `npm install`, then building, serving and testing the
 * app. One row per test, so a failure names the app and the step.
 */
describe('the consumer matrix', () => {
  let report: { rows: Row[] };

  beforeAll(async () => {
    const { tarball } = await packedTarball();
    const stdout = await new Promise<string>((done, fail) => {
      execFile(process.execPath, [join(here, 'run.mjs'), '--json', '--tarball', tarball], { cwd: root, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        // A failing row exits 1 with its report: the tests below say which step failed.
        if (error && !out.trim()) fail(new Error(`the matrix did not report:\n${err}`));
        else done(out);
      });
    });
    report = JSON.parse(stdout.trim().split('\n').pop()!);
  }, 960_000);

  it('has the three rows the README promises', () => {
    expect(rows).toEqual(['nest11-cjs', 'nest12-cjs', 'nest12-esm']);
  });

  it.each(rows)('%s: installs the tarball, builds, serves the documented answers and loads one copy', (name) => {
    const row = report.rows.find((r) => r.row === name)!;
    const failed = row.steps.filter((step) => !step.ok).map((step) => `${step.name}:\n${step.detail}`);
    expect(failed).toEqual([]);
    expect(row.steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(['npm install <tarball>', 'npm run build', 'node dist/main.js answers over HTTP', 'require() and import() load one copy']),
    );
  });

  it.each(['nest11-cjs', 'nest12-esm'])('%s: the app\'s own jest spec passes (jest in the row\'s module mode)', (name) => {
    const step = report.rows.find((r) => r.row === name)!.steps.find((s) => s.name.startsWith('npm run test:e2e'));
    expect(step).toMatchObject({ ok: true, detail: expect.stringMatching(/Tests:\s+4 passed, 4 total/) });
  });

  it('runs Nest 11 on the 11 row and Nest 12 on the others', () => {
    const core = (name: string): string | undefined => report.rows.find((r) => r.row === name)!.steps[0].detail?.match(/@nestjs\/core (\d+)\./)?.[1];
    expect(rows.map(core)).toEqual(['11', '12', '12']);
  });
});
