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
  node: string;
  ok: boolean;
  steps: Step[];
}

/**
 * The consumer matrix (test/matrix/run.mjs): Nest 11 on CommonJS with jest,
 * Nest 12 on CommonJS and Nest 12 on ES modules, on the machine's Node, the
 * lowest Node 22 the engines field admits and Node 24, and the README's Quick
 * start and its passport section built from their own code blocks, each installing the packed tarball
 * with a plain `npm install`, then building, serving and testing the app. One test per run, so a failure names the app, the Node and
 * the step.
 */
describe('the consumer matrix', () => {
  let report: { rows: Row[] };
  const machine = process.version;
  const consumers = ['nest11-cjs', 'nest12-cjs', 'nest12-esm'];
  const runs = [
    ...consumers.map((row) => `${row} on Node ${machine}`),
    'nest11-cjs on Node v22.12.0',
    'nest12-cjs on Node v22.12.0',
    ...consumers.map((row) => `${row} on Node v24.21.0`),
    `readme-quickstart on Node ${machine}`,
    `readme-passport on Node ${machine}`,
  ];
  const run = (name: string): Row => report.rows.find((r) => `${r.row} on Node ${r.node}` === name)!;

  beforeAll(async () => {
    const { tarball } = await packedTarball();
    const stdout = await new Promise<string>((done, fail) => {
      execFile(process.execPath, [join(here, 'run.mjs'), '--json', '--tarball', tarball], { cwd: root, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        // A failing run exits 1 with its report: the tests below say which step failed.
        if (error && !out.trim()) fail(new Error(`the matrix did not report:\n${err}`));
        else done(out);
      });
    });
    report = JSON.parse(stdout.trim().split('\n').pop()!);
  }, 960_000);

  it('has the rows and Node versions the README promises', () => {
    expect(rows).toEqual([...consumers, 'readme-passport', 'readme-quickstart']);
    expect(report.rows.map((r) => `${r.row} on Node ${r.node}`)).toEqual(runs);
  });

  it.each(runs)('%s: installs the tarball, builds, serves the documented answers and loads one copy', (name) => {
    const { steps } = run(name);
    const failed = steps.filter((step) => !step.ok).map((step) => `${step.name}:\n${step.detail}`);
    expect(failed).toEqual([]);
    expect(steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(['npm install <tarball>', 'npm run build', 'node dist/main.js answers over HTTP', 'require() and import() load one copy']),
    );
  });

  it.each(runs.filter((name) => /^nest11-cjs|^nest12-esm/.test(name)))("%s: the app's own jest spec passes (jest in the row's module mode)", (name) => {
    const step = run(name).steps.find((s) => s.name.startsWith('npm run test:e2e'));
    expect(step).toMatchObject({ ok: true, detail: expect.stringMatching(/Tests:\s+4 passed, 4 total/) });
  });

  it('runs Nest 11 on the 11 row and Nest 12 on the others', () => {
    const core = (r: Row): string | undefined => r.steps[0].detail?.match(/@nestjs\/core (\d+)\./)?.[1];
    expect(report.rows.map((r) => `${r.row}: ${core(r)}`)).toEqual(report.rows.map((r) => `${r.row}: ${r.row.startsWith('nest11') ? 11 : 12}`));
  });

  it("the README's Quick start, written out from its code blocks, builds and answers every row of its table", () => {
    const served = run(`readme-quickstart on Node ${machine}`).steps.find((s) => s.name.startsWith('node dist/main.js'));
    expect(served).toMatchObject({ ok: true, detail: expect.stringContaining('6 answers as the README shows') });
  });

  it("the README's passport section, in place of the Quick start's files, builds and answers every row of its table", () => {
    const served = run(`readme-passport on Node ${machine}`).steps.find((s) => s.name.startsWith('node dist/main.js'));
    expect(served).toMatchObject({ ok: true, detail: expect.stringContaining('6 answers as the README shows') });
  });

  it("prints Node's require(esm) warning only on Node 22.12, the one release in the range that has it", () => {
    const warned = report.rows
      .filter((r) => /ExperimentalWarning/.test(r.steps.find((s) => s.name.startsWith('node dist/main.js'))?.detail ?? ''))
      .map((r) => `${r.row} on Node ${r.node}`);
    expect(warned).toEqual(['nest11-cjs on Node v22.12.0', 'nest12-cjs on Node v22.12.0']);
  });
});
