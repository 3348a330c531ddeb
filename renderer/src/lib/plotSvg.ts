import type { StepResult } from '../../../shared/schemas/results';

type Plot = Pick<StepResult['plots'][number], 'title' | 'kind' | 'xLabel' | 'yLabel' | 'logX' | 'x' | 'series'>;

/** Bars side by side for one or two series (left and right of each x); more series read better as lines. */
export function drawsBars(plot: Pick<Plot, 'kind' | 'series'>): boolean {
  return plot.kind !== 'line' && plot.series.length <= 2;
}

/** A log x axis needs every x above 0. */
export function usesLogX(plot: Pick<Plot, 'logX' | 'x'>): boolean {
  return !!plot.logX && plot.x.length > 0 && plot.x.every((x) => x > 0);
}

/**
 * The x range that holds the data, half a bin beyond the first and last x so their bars show whole
 * (on a log axis the half bin is a ratio). Bins are not assumed to start at 0.
 */
export function dataXRange(plot: Pick<Plot, 'logX' | 'x'>): [number, number] {
  const { x } = plot;
  if (x.length === 0) return [0, 1];
  const first = x[0]!;
  const last = x[x.length - 1]!;
  if (usesLogX(plot)) {
    const ratio = x.length > 1 ? (last / first) ** (1 / (x.length - 1)) : 10;
    return [first / Math.sqrt(ratio), last * Math.sqrt(ratio)];
  }
  const step = x.length > 1 ? (last - first) / (x.length - 1) : 1;
  return [first - step / 2, last + step / 2];
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export function linearTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s * 1.25 >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Ticks of a log axis: 1, 2 and 5 times each power of ten inside [min, max] (powers alone when many decades). */
export function logTicks(min: number, max: number): number[] {
  const decades = Math.log10(max) - Math.log10(min);
  const multiples = decades > 3 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) {
    for (const m of multiples) {
      const v = m * 10 ** p;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

export function tickLabel(v: number): string {
  return Math.abs(v) >= 1e6 ? v.toExponential(0) : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const f = (v: number) => Number(v.toFixed(2)).toString();

export interface SvgOptions {
  width: number;
  height: number;
  /** One colour per series (CSS colour strings), repeated when fewer. */
  colors: readonly string[];
  /** The x range shown (the plot's zoom); the data's range when absent. */
  xRange?: readonly [number, number] | undefined;
  textColor?: string;
  gridColor?: string;
}

/**
 * A result plot as a standalone SVG document, drawn from the same data as the canvas: one `rect` per
 * bar (or one `path` per series for lines), both axes with ticks and labels, the title and a legend.
 */
export function plotToSvg(plot: Plot, opts: SvgOptions): string {
  const { width, height, colors } = opts;
  const text = opts.textColor ?? '#444';
  const grid = opts.gridColor ?? '#ddd';
  const margin = { left: 72, right: 16, top: 28, bottom: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const log = usesLogX(plot);
  const [xMin, xMax] = opts.xRange ?? dataXRange(plot);
  const tx = log ? (v: number) => Math.log10(v) : (v: number) => v;
  const sx = (v: number) => margin.left + ((tx(v) - tx(xMin)) / (tx(xMax) - tx(xMin) || 1)) * plotW;
  const visible = plot.x.map((x, i) => ({ x, i })).filter(({ x }) => x >= xMin && x <= xMax);
  const yMaxData = Math.max(0, ...plot.series.flatMap((s) => visible.map(({ i }) => s.y[i] ?? 0)));
  const yMax = yMaxData > 0 ? yMaxData * 1.05 : 1;
  const sy = (v: number) => margin.top + plotH - (v / yMax) * plotH;
  const color = (i: number) => colors[i % colors.length] ?? '#36c';

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text class="title" x="${margin.left}" y="18" font-size="14" font-weight="bold" fill="${text}">${esc(plot.title)}</text>`);

  const yTicks = linearTicks(0, yMax, 5).filter((v) => v <= yMax);
  const xTicks = log ? logTicks(xMin, xMax) : linearTicks(xMin, xMax, 6);
  out.push('<g class="axis y-axis">');
  for (const v of yTicks) {
    const y = f(sy(v));
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="${grid}"/>`);
    out.push(`<text class="tick" x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${text}">${esc(tickLabel(v))}</text>`);
  }
  out.push(`<text class="axis-label" transform="translate(16 ${f(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle" fill="${text}">${esc(plot.yLabel)}</text>`);
  out.push('</g>');
  out.push('<g class="axis x-axis">');
  const base = margin.top + plotH;
  out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${base}" y2="${base}" stroke="${text}"/>`);
  for (const v of xTicks) {
    const x = f(sx(v));
    out.push(`<line x1="${x}" x2="${x}" y1="${base}" y2="${base + 5}" stroke="${text}"/>`);
    out.push(`<text class="tick" x="${x}" y="${base + 18}" text-anchor="middle" fill="${text}">${esc(tickLabel(v))}</text>`);
  }
  out.push(`<text class="axis-label" x="${f(margin.left + plotW / 2)}" y="${base + 38}" text-anchor="middle" fill="${text}">${esc(plot.xLabel)}</text>`);
  out.push('</g>');

  out.push(`<clipPath id="plot-area"><rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}"/></clipPath>`);
  if (drawsBars(plot)) {
    // A bar fills 90 % of the gap to its neighbour (split in two for a pair), as on the canvas.
    const pair = plot.series.length === 2;
    plot.series.forEach((s, si) => {
      out.push(`<g class="series" data-series="${esc(s.name)}" fill="${color(si)}" clip-path="url(#plot-area)">`);
      for (const { x, i } of visible) {
        const gaps = [i > 0 ? sx(x) - sx(plot.x[i - 1]!) : Infinity, i < plot.x.length - 1 ? sx(plot.x[i + 1]!) - sx(x) : Infinity];
        const gap = Math.min(...gaps, plotW / 2);
        const full = gap * 0.9;
        const w = pair ? full / 2 : full;
        const x0 = sx(x) - full / 2 + (pair && si === 1 ? w : 0);
        const v = s.y[i] ?? 0;
        out.push(`<rect class="bar" x="${f(x0)}" y="${f(sy(v))}" width="${f(Math.max(0.5, w))}" height="${f(base - sy(v))}"/>`);
      }
      out.push('</g>');
    });
  } else {
    plot.series.forEach((s, si) => {
      const d = visible.map(({ x, i }, k) => `${k === 0 ? 'M' : 'L'}${f(sx(x))} ${f(sy(s.y[i] ?? 0))}`).join(' ');
      out.push(`<path class="series" data-series="${esc(s.name)}" d="${d || 'M0 0'}" fill="none" stroke="${color(si)}" stroke-width="1.5" clip-path="url(#plot-area)"/>`);
    });
  }

  out.push('<g class="legend">');
  let lx = margin.left;
  const ly = height - 12;
  plot.series.forEach((s, si) => {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${color(si)}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}" fill="${text}">${esc(s.name)}</text>`);
    lx += 24 + s.name.length * 7;
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
