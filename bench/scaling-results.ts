import { type BenchOptions, FULL_RUN } from './options.js';
import { machine, PACKAGES } from './results.js';
import { type Dimension, type Probe, ROUTE_COUNTS, type ScalingPlatform, SESSION_COUNTS } from './scaling-cases.js';
import { formatSpread, type Spread, spreadOf } from './stats.js';
import { lineCharts, type Panel, type PlotLine } from './svg-plot.js';

/** What the rounds measured of one probe: its requests/s, one figure per round, in the order of the rounds. */
export interface Point {
  probe: Probe;
  rps: number[];
}

const PLATFORMS: readonly ScalingPlatform[] = ['express', 'fastify'];
const PLATFORM_NAMES: Record<ScalingPlatform, string> = { express: 'Express', fastify: 'Fastify' };
const COLORS: Record<ScalingPlatform, string> = { express: '#1f77b4', fastify: '#d95f02' };
const ROUTE_SERIES = [
  { series: 'hit', label: 'GET of the last route', dash: undefined },
  { series: '405', label: "405: DELETE on the last route's path", dash: '7 4' },
  { series: '404', label: '404: an unknown path', dash: '2 3' },
];

/**
 * Microseconds of server time per request, from a throughput: the load keeps
 * the server busy, so 1 s ÷ requests/s is what one request took it.
 */
const microseconds = (rps: number): number => 1e6 / rps;

/** The points of one curve, by growing work. */
function curve(points: readonly Point[], platform: ScalingPlatform, dimension: Dimension, series: string): Point[] {
  return points.filter(({ probe }) => probe.app.platform === platform && probe.dimension === dimension && probe.series === series).sort((a, b) => a.probe.size - b.probe.size);
}

/**
 * A figure of two points taken round by round: two loads of the same round,
 * each after its app's unmeasured second, which cancels much of a shared
 * machine's drift (less than the variants' loads, each between two of its
 * reference's, see bench/schedule.ts); the median of the rounds, and their
 * range.
 */
const paired = (point: Point, reference: Point, figure: (rps: number, referenceRps: number) => number): Spread =>
  spreadOf(point.rps.map((rps, i) => figure(rps, reference.rps[i])));

const rpsCell = (point: Point): string => formatSpread(spreadOf(point.rps), 0);
const count = (n: number): string => n.toLocaleString('en');

function routesTable(points: readonly Point[]): string {
  const rows: string[] = [];
  for (const platform of PLATFORMS) {
    const hits = curve(points, platform, 'routes', 'hit');
    for (const { series, label } of ROUTE_SERIES) {
      const line = curve(points, platform, 'routes', series);
      for (const point of line) {
        const ratio = paired(point, line[0], (rps, first) => rps / first);
        const hit = hits.find((h) => h.probe.size === point.probe.size);
        const beyond = series === 'hit' || !hit ? '—' : formatSpread(paired(point, hit, (rps, hitRps) => microseconds(rps) - microseconds(hitRps)), 1);
        rows.push(`| ${PLATFORM_NAMES[platform]} | ${label} | ${count(point.probe.size)} | ${rpsCell(point)} | ${formatSpread(ratio, 3)} | ${beyond} |`);
      }
    }
  }
  return [
    `| platform | request | routes in the app | requests/s, median (rounds' min–max) | ratio to ${count(ROUTE_COUNTS[0])} routes, median of the rounds' ratios (min–max) | µs per request beyond the GET of that route, median (min–max) |`,
    '|---|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function messagesTable(points: readonly Point[]): string {
  const rows: string[] = [];
  for (const platform of PLATFORMS) {
    const line = curve(points, platform, 'messages', 'messages');
    for (const point of line) {
      const first = line[0];
      const extra = point === first ? '—' : formatSpread(paired(point, first, (rps, firstRps) => (microseconds(rps) - microseconds(firstRps)) / (point.probe.size - first.probe.size)), 2);
      rows.push(`| ${PLATFORM_NAMES[platform]} | ${count(point.probe.size)} | ${rpsCell(point)} | ${formatSpread(spreadOf(point.rps.map(microseconds)), 0)} | ${extra} |`);
    }
  }
  return [
    "| platform | messages in the answer | requests/s, median (rounds' min–max) | µs per request (1 s ÷ requests/s), median (min–max) | µs per message beyond the first, median of the rounds (min–max) |",
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function sessionsTable(points: readonly Point[]): string {
  const rows: string[] = [];
  for (const platform of PLATFORMS) {
    const line = curve(points, platform, 'sessions', 'sessions');
    for (const point of line) rows.push(`| ${PLATFORM_NAMES[platform]} | ${count(point.probe.size)} | ${rpsCell(point)} | ${formatSpread(paired(point, line[0], (rps, first) => rps / first), 3)} |`);
  }
  return [
    `| platform | signed-in sessions the load is spread over | requests/s, median (rounds' min–max) | ratio to ${count(SESSION_COUNTS[0])} sessions, median of the rounds' ratios (min–max) |`,
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** A curve as a line of the plot: µs per request at each size, whiskers over the rounds' range. */
function plotLine(line: readonly Point[], platform: ScalingPlatform, label: string, dash?: string): PlotLine {
  return {
    label: `${PLATFORM_NAMES[platform]}: ${label}`,
    color: COLORS[platform],
    dash,
    points: line.map(({ probe, rps }) => {
      const { median, min, max } = spreadOf(rps);
      return { x: probe.size, y: microseconds(median), low: microseconds(max), high: microseconds(min) };
    }),
  };
}

/** The plot of the section (bench/scaling.svg): one panel per kind of work, µs per request against the work. */
export function scalingChart(points: readonly Point[], caption: string): string {
  const yLabel = 'µs per request (1 s ÷ requests/s)';
  const panel = (title: string, xLabel: string, lines: PlotLine[]): Panel => ({ title, xLabel, yLabel, lines: lines.filter((line) => line.points.length > 0) });
  return lineCharts(
    [
      panel('A miss: 405 and 404', 'routes in the app', PLATFORMS.flatMap((p) => ROUTE_SERIES.map(({ series, label, dash }) => plotLine(curve(points, p, 'routes', series), p, label, dash)))),
      panel('Messages in one answer', 'messages delivered', PLATFORMS.map((p) => plotLine(curve(points, p, 'messages', 'messages'), p, '@Ajax() + N messages'))),
      panel('Sessions', 'signed-in sessions in the load', PLATFORMS.map((p) => plotLine(curve(points, p, 'sessions', 'sessions'), p, 'signed-in route, one message'))),
    ].filter((p) => p.lines.length > 0),
    caption,
  );
}

/** The section's text in bench/RESULTS.md: how it was measured, the plot, and the three tables. */
export function scalingSection(root: string, options: BenchOptions, points: readonly Point[], apps: number, warmUp: number, chartName: string): string {
  // Below a full run's defaults a run is a trial: its figures check the section works, no more.
  const full = FULL_RUN.scaling;
  const trial = options.rounds < full.rounds || options.duration < full.duration;
  return [
    `Written by \`npm run bench -- --scaling\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    ...machine(root, [...new Set([...PACKAGES.express, ...PACKAGES.fastify])]),
    `- ${options.rounds} interleaved rounds of ${options.duration} s per request (${points.length} requests to ${apps} apps), ${options.connections} connections, after a warm-up of ${warmUp} s each and another ${warmUp} s before each app's turn in a round; each app in its own process; load generator in the parent process`,
    ...(trial ? [`- A trial run, shorter than a full one (${full.rounds} rounds of ${full.duration} s): these figures show the section works, not what it costs`] : []),
    '',
    `![µs per request as the work grows](${chartName})`,
    '',
    '### A miss: 405 and 404 as routes grow',
    '',
    routesTable(points),
    '',
    '### Messages delivered in one answer',
    '',
    messagesTable(points),
    '',
    '### Sessions the load is spread over',
    '',
    sessionsTable(points),
  ].join('\n');
}
