import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Round } from './load.js';
import type { BenchOptions, ResultsTable } from './options.js';
import { median, type Spread, spreadOf } from './stats.js';
import type { Variant } from './variants.js';

/** Everything a run measured of one variant. */
export interface Measured {
  variant: Variant;
  /** Every measured load of the variant over the rounds (a reference is loaded several times a round). */
  loads: Round[];
  /** One per round, for a compared variant: its load, and its reference's two loads around it as one. */
  pairs: { load: Round; reference: Round }[];
  /** Requests served by the measured loads (the warm-up and the wake-ups before each load not counted). */
  served: number;
  /** Heap after GC at the end minus the same after the warm-up. */
  heapGrowthKiB: number;
}

/**
 * The mean of a reference's two loads around a compared variant's: the
 * reference as it was, to first order, while the variant was loaded.
 */
export function meanOf(before: Round, after: Round): Round {
  const mean = (a: number, b: number) => (a + b) / 2;
  return {
    rps: mean(before.rps, after.rps),
    p50: mean(before.p50, after.p50),
    p99: mean(before.p99, after.p99),
    cpuUs: before.cpuUs !== undefined && after.cpuUs !== undefined ? mean(before.cpuUs, after.cpuUs) : undefined,
  };
}

/**
 * A figure of a variant against the variant it is compared with, one per
 * round, from loads a few seconds apart (planRound()), which cancels most
 * of a shared machine's drift; their median is the figure, their range how
 * far it can be trusted.
 */
function paired(measured: Measured, figure: (load: Round, compared: Round) => number): Spread {
  return spreadOf(measured.pairs.map(({ load, reference }) => figure(load, reference)));
}

/** Throughput against the compared variant's. */
export const throughputRatio = (load: Round, compared: Round): number => load.rps / compared.rps;

/**
 * The same ratio read from CPU time: the compared variant's CPU µs per
 * request over this one's, what the throughput ratio would be if the server
 * had its core to itself. NaN where the CPU time is unknown (a NaN in
 * any round shows the cell as –).
 */
const cpuRatio = (load: Round, compared: Round): number => (load.cpuUs && compared.cpuUs ? compared.cpuUs / load.cpuUs : NaN);

const range = (spread: Spread, digits: number): string => `${spread.min.toFixed(digits)}–${spread.max.toFixed(digits)}`;
const spreadCell = (spread: Spread, digits: number): string => (Number.isNaN(spread.min) ? '–' : `${spread.median.toFixed(digits)} (${range(spread, digits)})`);

function row(measured: Measured, byName: ReadonlyMap<string, Measured>): string {
  const { variant, loads } = measured;
  const rps = spreadOf(loads.map((x) => x.rps));
  const compared = variant.comparedWith ? byName.get(variant.comparedWith) : undefined;
  const ratioCell = (figure: typeof throughputRatio) => (compared ? `${spreadCell(paired(measured, figure), 3)} vs ${variant.comparedWith}` : variant.comparedWith ? '–' : '1.000');
  const growth = measured.heapGrowthKiB;
  return [
    variant.label,
    variant.platform,
    `${Math.round(rps.median)} (${range(rps, 0)})`,
    median(loads.map((x) => x.p50)),
    median(loads.map((x) => x.p99)),
    ratioCell(throughputRatio),
    spreadCell(spreadOf(loads.map((x) => x.cpuUs ?? NaN)), 0),
    ratioCell(cpuRatio),
    `${measured.served.toLocaleString('en')} (${loads.length})`,
    `${growth >= 0 ? '+' : ''}${growth.toFixed(0)}`,
  ].join(' | ');
}

/** The Markdown table of some variants; a ratio's reference is looked up in `byName`. */
export function resultTable(rows: readonly Measured[], byName: ReadonlyMap<string, Measured>): string {
  return [
    "| variant | platform | requests/s, median (loads' min–max) | p50 ms | p99 ms | throughput ratio, median of the rounds' ratios (min–max) | server CPU µs per request, median (min–max) | CPU-time ratio (compared variant's CPU µs ÷ this one's), median (min–max) | requests served (measured loads) | heap after GC, end − start (KiB) |",
    '|---|---|---:|---:|---:|---|---:|---|---:|---:|',
    ...rows.map((measured) => `| ${row(measured, byName)} |`),
  ].join('\n');
}

/** The packages whose versions a table's figures depend on. */
export const PACKAGES: Record<ResultsTable, string[]> = {
  express: ['@nestjs/core', '@nestjs/platform-express', 'express', 'express-session', 'autocannon'],
  fastify: ['@nestjs/core', '@nestjs/platform-fastify', 'fastify', '@fastify/session', '@fastify/cookie', 'autocannon'],
};

function versionOf(root: string, pkg: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The machine, Node and the versions of `packages`: two list items of the text above a table. */
export function machine(root: string, packages: readonly string[]): string[] {
  return [
    `- CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- Node ${process.version}; ${packages.map((pkg) => `${pkg} ${versionOf(root, pkg)}`).join(', ')}`,
  ];
}

/** How the CPU time per request is read: a list item of the text above a table. */
export function cpuTimeNote(): string {
  return '- Server CPU time per request: user + system time of the server process (every thread, the garbage collector\'s included), read from /proc before and after each load, over the requests it served';
}

/** What a table's figures were measured on and how: the text above the table. */
export function conditions(root: string, table: ResultsTable, options: BenchOptions, variantsInRun: number, wakeUpSeconds: number): string {
  return [
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    ...machine(root, PACKAGES[table]),
    `- ${options.rounds} rounds (${variantsInRun} variants in the run); in each, every compared variant's ${options.duration} s load comes between two ${options.duration} s loads of the variant it is compared with, and its ratio is taken against their mean (a reference is loaded once more than it has variants compared with it, so it serves more requests and its heap growth spans more load); every measured load follows ${wakeUpSeconds} s of unmeasured load of the same process; ${options.connections} connections, after a warm-up; each variant in its own process; load generator in the parent process`,
    cpuTimeNote(),
  ].join('\n');
}

/** The sections of bench/RESULTS.md the benchmark writes: each platform's table, and the cost as work grows. */
export type ResultsSection = ResultsTable | 'scaling';

const START = (section: ResultsSection) => `<!-- ${section} figures: written by npm run bench, which replaces everything up to the end marker -->`;
const END = (section: ResultsSection) => `<!-- end of ${section} figures -->`;
const TITLES: Record<ResultsSection, string> = { express: 'Express', fastify: 'Fastify', scaling: 'Cost as work grows' };

/**
 * Replaces one section's figures in bench/RESULTS.md, between its markers,
 * and leaves the rest (the other sections' figures, the notes) as it is, so
 * a run of one platform never overwrites the other's. A file without the
 * markers gets the figures as a new section at its end.
 */
export function writeTable(file: string, section: ResultsSection, text: string): void {
  const previous = readFileSync(file, { encoding: 'utf8', flag: 'a+' }) || '# Benchmark results\n';
  const block = `${START(section)}\n\n${text}\n\n${END(section)}`;
  const from = previous.indexOf(START(section));
  const to = previous.indexOf(END(section));
  const next =
    from >= 0 && to > from
      ? `${previous.slice(0, from)}${block}${previous.slice(to + END(section).length)}`
      : `${previous.trimEnd()}\n\n## ${TITLES[section]}\n\n${block}\n`;
  writeFileSync(file, next);
}
