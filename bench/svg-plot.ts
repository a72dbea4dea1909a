/**
 * Line plots as SVG text, side by side, written by hand: a few axes, lines
 * and labels need no plotting library. Both axes start at 0 and are linear,
 * so a flat line is a cost that does not grow and a straight rising one a
 * cost per unit of work.
 */

/** A point of a line: its median, and the range of the rounds behind it, drawn as a whisker. */
export interface PlotPoint {
  x: number;
  y: number;
  low: number;
  high: number;
}

/** One line of a panel. */
export interface PlotLine {
  label: string;
  color: string;
  /** An SVG `stroke-dasharray`; a solid line without it. */
  dash?: string;
  points: PlotPoint[];
}

/** One plot: its axes and its lines. */
export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  lines: PlotLine[];
}

const PLOT = { width: 300, height: 200, left: 60, right: 30, top: 40, axis: 58, legendRow: 16 };
const PANEL_WIDTH = PLOT.left + PLOT.width + PLOT.right;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round ticks from 0 to at least `max`, about five of them. */
function ticksUpTo(max: number): number[] {
  const rough = (max > 0 ? max : 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= rough)!;
  return Array.from({ length: Math.ceil((max > 0 ? max : 1) / step) + 1 }, (_, i) => i * step);
}

const label = (value: number): string => value.toLocaleString('en', { maximumFractionDigits: 1 });

function panelSvg(panel: Panel, offsetX: number): string {
  const points = panel.lines.flatMap((line) => line.points);
  const xTicks = ticksUpTo(Math.max(...points.map((p) => p.x)));
  const yTicks = ticksUpTo(Math.max(...points.map((p) => p.high)));
  const x = (value: number) => offsetX + PLOT.left + (value / xTicks.at(-1)!) * PLOT.width;
  const y = (value: number) => PLOT.top + PLOT.height - (value / yTicks.at(-1)!) * PLOT.height;
  const bottom = PLOT.top + PLOT.height;
  const parts = [
    `<text x="${offsetX + PLOT.left + PLOT.width / 2}" y="${PLOT.top - 16}" text-anchor="middle" font-weight="bold">${escape(panel.title)}</text>`,
    ...xTicks.map((t) => `<line x1="${x(t)}" y1="${PLOT.top}" x2="${x(t)}" y2="${bottom}" stroke="#eee"/><text x="${x(t)}" y="${bottom + 15}" text-anchor="middle">${label(t)}</text>`),
    ...yTicks.map((t) => `<line x1="${x(0)}" y1="${y(t)}" x2="${x(xTicks.at(-1)!)}" y2="${y(t)}" stroke="#eee"/><text x="${x(0) - 6}" y="${y(t) + 4}" text-anchor="end">${label(t)}</text>`),
    `<rect x="${x(0)}" y="${PLOT.top}" width="${PLOT.width}" height="${PLOT.height}" fill="none" stroke="#999"/>`,
    `<text x="${x(0) + PLOT.width / 2}" y="${bottom + 32}" text-anchor="middle">${escape(panel.xLabel)}</text>`,
    `<text transform="translate(${offsetX + 14} ${PLOT.top + PLOT.height / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>`,
  ];
  panel.lines.forEach((line, i) => {
    const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : '';
    const path = line.points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${line.color}" stroke-width="2"${dash}/>`);
    for (const p of line.points) {
      parts.push(`<line x1="${x(p.x)}" y1="${y(p.low)}" x2="${x(p.x)}" y2="${y(p.high)}" stroke="${line.color}"/>`, `<circle cx="${x(p.x)}" cy="${y(p.y)}" r="3" fill="${line.color}"/>`);
    }
    const rowY = bottom + PLOT.axis + i * PLOT.legendRow;
    parts.push(
      `<line x1="${x(0)}" y1="${rowY - 4}" x2="${x(0) + 24}" y2="${rowY - 4}" stroke="${line.color}" stroke-width="2"${dash}/>`,
      `<text x="${x(0) + 30}" y="${rowY}">${escape(line.label)}</text>`,
    );
  });
  return parts.join('\n');
}

/** Panels side by side in one SVG document; whiskers show each point's range. */
export function lineCharts(panels: readonly Panel[], caption: string): string {
  const rows = Math.max(...panels.map((panel) => panel.lines.length));
  const width = PANEL_WIDTH * panels.length;
  const height = PLOT.top + PLOT.height + PLOT.axis + rows * PLOT.legendRow + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((panel, i) => panelSvg(panel, i * PANEL_WIDTH)),
    `<text x="10" y="${height - 10}" fill="#555">${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
