import type { BenchPlatform, Variant } from './variants.js';

/** The tables of bench/RESULTS.md: a variant's figures go with its platform's baseline. */
export type ResultsTable = 'express' | 'fastify';

/** The table a variant's figures belong in: the raw ceiling is compared with the Express baseline. */
export const tableOf = (platform: BenchPlatform): ResultsTable => (platform === 'fastify' ? 'fastify' : 'express');

/** What `npm run bench -- …` asks for. */
export interface BenchOptions {
  quick: boolean;
  rounds: number;
  /** Seconds of each measured load (a reference is loaded several times a round; see bench/schedule.ts). */
  duration: number;
  connections: number;
  /** `--only a,b`: these variants, and the ones they are compared with. */
  only?: string[];
  breakdown: boolean;
  /** `--profile NAME`: a CPU profile of that variant. */
  profile?: string;
  /** `--platform express,fastify`: the tables to run (default both). */
  tables: ResultsTable[];
  /** `--scaling`: the cost as work grows (routes, messages, sessions) instead of the variants. */
  scaling: boolean;
}

/**
 * A full run's rounds and seconds per measured load, the defaults: the
 * variants' loads are shorter, as each comes between two of its reference's
 * (bench/schedule.ts); the cost as work grows keeps its apps' loads of 5 s.
 * A scaling run shorter than its full run is called a trial in its text.
 */
export const FULL_RUN = { variants: { rounds: 7, duration: 3 }, scaling: { rounds: 7, duration: 5 } } as const;

/**
 * Limits on the flags, so that no typo makes a run that never ends: the
 * longest run they allow is bounded (rounds × loads per round, under twice
 * the variants, × the duration and a wake-up).
 */
const LIMITS = { rounds: [1, 50], duration: [1, 60], connections: [1, 500] } as const;

/** The flags `npm run bench` takes, those followed by a value and those without. */
const VALUE_FLAGS = ['--rounds', '--duration', '--connections', '--only', '--profile', '--platform'];
const SWITCHES = ['--quick', '--breakdown', '--scaling'];

/**
 * Reads the command line; an unknown flag, a flag out of its limits, or an
 * unknown name, stops the run before anything starts (a mistyped flag would
 * otherwise start a full run of twenty minutes).
 */
export function readOptions(args: string[], variants: readonly Variant[]): BenchOptions {
  const seen = new Set<string>();
  for (let at = 0; at < args.length; at++) {
    const flag = args[at];
    if (seen.has(flag)) throw new Error(`${flag} is given twice`);
    seen.add(flag);
    if (VALUE_FLAGS.includes(flag)) {
      at++;
      if (args[at] === undefined || args[at].startsWith('--')) throw new Error(`${flag} takes a value`);
    } else if (!SWITCHES.includes(flag)) {
      throw new Error(`Unknown option ${flag}; the options are ${[...SWITCHES, ...VALUE_FLAGS.map((name) => `${name} …`)].join(', ')}`);
    }
  }
  const valueOf = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const bounded = (name: keyof typeof LIMITS, fallback: number): number => {
    const text = valueOf(name);
    const value = text === undefined ? fallback : Number(text);
    const [min, max] = LIMITS[name];
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} takes a whole number from ${min} to ${max}, not ${text}`);
    return value;
  };
  const only = valueOf('only')?.split(',');
  const unknown = only?.filter((name) => !variants.some((v) => v.name === name));
  if (unknown?.length) throw new Error(`Unknown variant ${unknown.join(', ')}; known: ${variants.map((v) => v.name).join(', ')}`);
  const profile = valueOf('profile');
  if (profile !== undefined && !variants.some((v) => v.name === profile)) throw new Error(`Unknown variant ${profile} for --profile; known: ${variants.map((v) => v.name).join(', ')}`);
  const scaling = args.includes('--scaling');
  if (scaling && (only || args.includes('--breakdown') || profile)) throw new Error('--scaling runs apps of its own: --only, --breakdown and --profile choose among the variants');
  const tables = (valueOf('platform') ?? 'express,fastify').split(',');
  if (!tables.every((table): table is ResultsTable => table === 'express' || table === 'fastify')) {
    throw new Error(`--platform takes express, fastify or both (express,fastify), not ${tables.join(',')}`);
  }
  return {
    quick,
    rounds: bounded('rounds', quick ? 1 : FULL_RUN.variants.rounds),
    duration: bounded('duration', quick ? 1 : scaling ? FULL_RUN.scaling.duration : FULL_RUN.variants.duration),
    connections: bounded('connections', 50),
    only,
    breakdown: args.includes('--breakdown'),
    profile,
    tables,
    scaling,
  };
}

/**
 * The variants a run measures, in the order of `variants`. `--only` adds
 * the variants the chosen ones are compared with, as a ratio needs both
 * (`--only fastify-ajax` runs `fastify-baseline` too).
 */
export function chooseVariants(variants: readonly Variant[], options: BenchOptions): Variant[] {
  if (!options.only) {
    return variants.filter((v) => options.tables.includes(tableOf(v.platform)) && (!v.breakdown || options.breakdown));
  }
  const comparedWith = new Map(variants.map((v) => [v.name, v.comparedWith]));
  const wanted = new Set<string>();
  for (const name of options.only) {
    for (let next: string | undefined = name; next && !wanted.has(next); next = comparedWith.get(next)) wanted.add(next);
  }
  return variants.filter((v) => wanted.has(v.name));
}
