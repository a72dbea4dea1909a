import { writeFileSync } from 'node:fs';
import { checkTarget, signInVisitors } from './client.js';
import { loadTarget } from './load.js';
import type { BenchOptions } from './options.js';
import { type Running, startAll, stop } from './processes.js';
import { writeTable } from './results.js';
import { probesOf, SCALING_APPS, type Probe, type ScalingApp } from './scaling-cases.js';
import { type Point, scalingChart, scalingSection } from './scaling-results.js';
import { rotated } from './stats.js';
import type { Target } from './target.js';

/**
 * The cost as work grows (`--scaling`): the same request as the work behind
 * it grows, in interleaved rounds (A B C … A B C …, each app's turn after an
 * unmeasured second of load), medians
 * over the rounds; bench/RESULTS.md's section and bench/scaling.svg. With
 * `--quick`, only the answers are checked, alone and under a short load.
 */

/** Where the section's results go. */
export interface ScalingFiles {
  root: string;
  serverJs: string;
  results: string;
  chart: string;
  /** The chart's name as RESULTS.md links it. */
  chartLink: string;
}

/** Seconds of load per request before the rounds: each app's process is warmed by all its requests in turn. */
const WARM_UP = 1;
/** A quick check's requests per probe: a few hundred, or one per session where the load goes to more. */
const QUICK_REQUESTS = 200;
/** A quick check's bound in time per probe: its count ends it long before on any machine that works. */
const QUICK_SECONDS = 5;

interface Measuring {
  probe: Probe;
  target: Target;
}

/** The requests of one app's probes, as its visitors (signed in now, each in a session of their own). */
async function targetsOf(running: Running<ScalingApp>): Promise<Measuring[]> {
  const app = running.variant;
  const cookies = await signInVisitors(running.url, app.visitors, app.name);
  return probesOf(app).map((probe) => ({
    probe,
    target: {
      name: `${app.name}: ${probe.method} ${probe.path}${probe.sessions > 1 ? ` over ${probe.sessions} sessions` : ''}`,
      origin: running.url,
      method: probe.method,
      path: probe.path,
      cookies: cookies.slice(0, probe.sessions),
      expected: probe.expected,
    },
  }));
}

/**
 * Every answer right under a short load bounded in count and time, then
 * alone again. The loads run all at once: nothing is measured, and a load
 * run lasts at least a second however few its requests.
 */
async function quickCheck(measuring: readonly Measuring[], options: BenchOptions): Promise<void> {
  await Promise.all(
    measuring.map(async ({ target }) => {
      const { total } = await loadTarget(target, QUICK_SECONDS, options.connections, true, Math.max(QUICK_REQUESTS, target.cookies.length));
      console.log(`${target.name}: ${total} requests, all answered as expected`);
    }),
  );
  for (const { target } of measuring) await checkTarget(target);
  console.log('Quick check of the cost as work grows passed: every request answered correctly under load.');
}

/**
 * A warm-up, then `rounds` rounds over every app in turn and each app's
 * probes one after the other: each round's requests/s kept. A process left
 * idle while the others are loaded serves its first second slower (a
 * quarter slower here), so each app's turn starts with an unmeasured
 * second of load, and its probes take turns at going first.
 */
async function measure(measuring: readonly Measuring[], options: BenchOptions): Promise<Point[]> {
  for (const { target } of measuring) await loadTarget(target, WARM_UP, options.connections);
  const points = new Map<Measuring, Point>(measuring.map((m) => [m, { probe: m.probe, rps: [] }]));
  const apps = [...new Set(measuring.map(({ probe }) => probe.app))].map((app) => measuring.filter(({ probe }) => probe.app === app));
  for (let round = 1; round <= options.rounds; round++) {
    for (const probes of apps) {
      const turn = rotated(probes, round);
      await loadTarget(turn[0].target, WARM_UP, options.connections);
      for (const m of turn) points.get(m)!.rps.push((await loadTarget(m.target, options.duration, options.connections)).rps);
    }
    console.log(`round ${round}/${options.rounds}: ${[...points.values()].map(({ probe, rps }) => `${probe.app.name} ${probe.series}@${probe.size} ${Math.round(rps.at(-1)!)}`).join(', ')}`);
  }
  for (const { target } of measuring) await checkTarget(target);
  return [...points.values()];
}

/**
 * Runs the section on the platforms `options.tables` names. Only a run of
 * both writes bench/RESULTS.md and the chart: one platform's curves alone
 * are printed, as a run with `--only` is.
 */
export async function runScaling(options: BenchOptions, files: ScalingFiles): Promise<void> {
  const apps = SCALING_APPS.filter((app) => options.tables.includes(app.platform));
  const probes = apps.flatMap(probesOf).length;
  const loadSeconds = options.quick ? QUICK_SECONDS : probes * (WARM_UP + options.rounds * options.duration) + apps.length * options.rounds * WARM_UP;
  console.log(`Cost as work grows: ${apps.length} apps, ${probes} requests; at most ${loadSeconds < 120 ? `${loadSeconds} s` : `${Math.ceil(loadSeconds / 60)} min`} of load.`);
  let running: Running<ScalingApp>[] = [];
  try {
    running = await startAll(apps, files.serverJs, () => []);
    const measuring = (await Promise.all(running.map(targetsOf))).flat();
    for (const { target } of measuring) await checkTarget(target);
    console.log(`All ${measuring.length} requests answered correctly.`);
    if (options.quick) return await quickCheck(measuring, options);
    const points = await measure(measuring, options);
    const text = scalingSection(files.root, options, points, apps.length, WARM_UP, files.chartLink);
    console.log(`\n${text}\n`);
    if (options.tables.length < 2) return console.log(`${files.results} left as it was (a run of one platform).`);
    writeTable(files.results, 'scaling', text);
    writeFileSync(files.chart, scalingChart(points, `µs per request = 1 s ÷ requests/s; median of ${options.rounds} rounds, whiskers: their range. ${new Date().toISOString().slice(0, 10)}.`));
    console.log(`Written to ${files.results} and ${files.chart}`);
  } finally {
    await Promise.all(running.map(stop));
  }
}
