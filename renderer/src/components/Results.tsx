import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ApiErrorBody } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import type { StepResult } from '../../../shared/schemas/results';
import { formatCount } from '../lib/labels';
import { toErrorBody } from '../lib/errors';
import { useTheme } from '../lib/theme';
import { request } from '../stores/connectionStore';
import { ErrorNotice } from './Notice';
import { dataXRange, drawsBars, logTicks, plotToSvg, tickLabel, usesLogX } from '../lib/plotSvg';
import { TableScroll } from './TableScroll';
import { SortButton } from './TableParts';

type Metric = StepResult['metrics'][number];
type Table = StepResult['tables'][number];
type Plot = StepResult['plots'][number];
type ResultFileInfo = StepResult['files'][number];

function formatValue(v: string | number | null, type?: 'text' | 'number' | 'percent'): string {
  if (v === null || v === '') return '—';
  if (typeof v === 'number') {
    if (type === 'percent') return `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;
    return Number.isInteger(v) ? formatCount(v) : v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  }
  return v;
}

export function Metrics({ metrics }: { metrics: Metric[] }) {
  if (metrics.length === 0) return null;
  return (
    <div className="metrics" data-testid="metrics">
      {metrics.map((m, i) => (
        <div key={`${m.label}-${i}`} className={m.verdict ? `metric verdict-${m.verdict}` : 'metric'} data-testid="metric">
          <div className="figure-label" title={m.label}>
            {m.label}
          </div>
          <div className="metric-value">
            {formatValue(m.value)}
            {m.unit ? <span className="metric-unit"> {m.unit}</span> : null}
          </div>
          {m.verdict ? <div className="metric-verdict">{m.verdict}</div> : null}
        </div>
      ))}
    </div>
  );
}

/** A result table: click a header to sort by it (again to reverse); numbers right-aligned. */
export function SortableTable({ table }: { table: Table }) {
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const rows = useMemo(() => {
    if (!sort) return table.rows;
    const col = table.columns.find((c) => c.key === sort.key);
    const numeric = col?.type !== 'text';
    return [...table.rows].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const d = numeric && typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
      return d * sort.dir;
    });
  }, [table, sort]);

  return (
    <div className="result-table">
      <h4 className="result-title">
        {table.title}
        <span className="muted small">
          {' '}
          · {formatCount(table.rows.length)} row{table.rows.length === 1 ? '' : 's'}
          {table.truncated ? ` shown, ${formatCount(table.truncated)} more in ${table.file ?? 'the file'}` : ''}
        </span>
      </h4>
      <TableScroll style={{ maxHeight: 420 }} label={table.title}>
        <table className="table zebra" data-testid={`table-${table.id}`}>
          <thead>
            <tr>
              {table.columns.map((c) => {
                const active = sort?.key === c.key;
                return (
                  <th key={c.key} scope="col" className={c.type !== 'text' ? 'num' : undefined} aria-sort={active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                    <SortButton
                      direction={active ? (sort.dir === 1 ? 'asc' : 'desc') : null}
                      onClick={() => setSort((s) => (s?.key === c.key ? { key: c.key, dir: s.dir === 1 ? -1 : 1 } : { key: c.key, dir: c.type === 'text' ? 1 : -1 }))}
                    >
                      {c.label}
                    </SortButton>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {table.columns.map((c) => (
                  <td key={c.key} className={c.type !== 'text' ? 'num' : undefined}>
                    {formatValue(r[c.key] ?? null, c.type)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}

/** The colour a CSS variable resolves to now (light-dark() included). */
function cssColor(el: HTMLElement, variable: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${variable})`;
  probe.style.display = 'none';
  el.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

const SERIES_VARS = ['--accent', '--done', '--ok', '--warn', '--bad'];

/** A legend cell: the value under the cursor, or nothing (the series name stands alone) when there is none. */
function legendValue(_u: uPlot, v: number | null, _si: number, idx: number | null): string {
  return idx === null || v === null ? '' : tickLabel(v);
}

/** Save a blob under `name` through the browser's (or Electron's) download. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A result plot drawn with uPlot: bars for histograms and bar charts, lines otherwise; log x when
 * asked. Drag across it to zoom into an x range, double-click to see it all again; PNG and SVG save
 * what is shown (the SVG is drawn from the data by plotToSvg, since uPlot paints a canvas).
 */
export function ResultPlotView({ plot }: { plot: Plot }) {
  const box = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  const theme = useTheme();
  const [dark, setDark] = useState(() => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false);

  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const on = () => setDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = cssColor(el, '--text-muted');
    const grid = cssColor(el, '--border');
    const bars = drawsBars(plot);
    const pair = plot.series.length === 2;
    const logX = usesLogX(plot);
    const full = dataXRange(plot);
    const [first, last] = [plot.x[0], plot.x[plot.x.length - 1]];
    const width = Math.max(320, el.clientWidth || 600);
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width,
      height: 240,
      legend: { show: true },
      // The shown x range, on the element too: what a zoom changed can be read without the canvas.
      hooks: {
        setScale: [
          (u, key) => {
            if (key === 'x') el.dataset.xRange = `${u.scales.x?.min ?? ''}:${u.scales.x?.max ?? ''}`;
          },
        ],
      },
      cursor: { drag: { x: true, y: false, setScale: true } },
      scales: {
        // uPlot asks for the range of the whole data (first to last x) when it resets, a double-click
        // included: that is widened by half a bin so the outer bars show whole (one bin: always that);
        // a zoom is kept as dragged.
        x: { time: false, distr: logX ? 3 : 1, range: (_u, min, max) => (first === last || (min === first && max === last) ? full : [min, max]) },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
      },
      axes: [
        {
          ...axis,
          label: plot.xLabel,
          labelSize: 22,
          // Round ticks (100, 200, 500, 1,000 …), every one labelled: uPlot's own start at the range's odd
          // lower end and label powers of ten only.
          ...(logX ? { splits: (_u: uPlot, _i: number, min: number, max: number) => logTicks(min, max), filter: (_u: uPlot, ticks: number[]) => ticks, values: (_u: uPlot, ticks: (number | null)[]) => ticks.map((v) => (v === null ? '' : tickLabel(v))) } : {}),
        },
        { ...axis, label: plot.yLabel, labelSize: 22, size: 60 },
      ],
      series: [
        { label: plot.xLabel, value: legendValue },
        ...plot.series.map((s, i) => {
          const color = cssColor(el, SERIES_VARS[i % SERIES_VARS.length]!);
          return {
            label: s.name,
            stroke: color,
            width: bars ? 0 : 1.5,
            fill: bars ? color : undefined,
            points: { show: false },
            value: legendValue,
            paths: bars ? uPlot.paths.bars!({ size: [pair ? 0.45 : 0.9, 40], align: pair ? (i === 0 ? -1 : 1) : 0 }) : undefined,
          };
        }),
      ],
    };
    const data: uPlot.AlignedData = [plot.x, ...plot.series.map((s) => s.y)];
    const chart = new uPlot(opts, data, el);
    chartRef.current = chart;
    const observer = new ResizeObserver(() => {
      const w = Math.max(320, el.clientWidth);
      if (Math.abs(w - chart.width) > 2) chart.setSize({ width: w, height: 240 });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      chartRef.current = null;
    };
  }, [plot, theme, dark]);

  function exportPng() {
    const chart = chartRef.current;
    const el = box.current;
    if (!chart || !el) return;
    // The canvas is transparent: painted on the page's background so the text stays readable.
    const source = chart.ctx.canvas;
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = cssColor(el, '--surface');
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    canvas.toBlob((blob) => {
      if (blob) download(blob, `${plot.id}.png`);
    }, 'image/png');
  }

  function exportSvg() {
    const chart = chartRef.current;
    const el = box.current;
    if (!chart || !el) return;
    const { min, max } = chart.scales.x ?? {};
    const svg = plotToSvg(plot, {
      width: chart.width,
      height: 300,
      colors: plot.series.map((_s, i) => cssColor(el, SERIES_VARS[i % SERIES_VARS.length]!)),
      xRange: min !== undefined && max !== undefined ? [min, max] : undefined,
    });
    download(new Blob([svg], { type: 'image/svg+xml' }), `${plot.id}.svg`);
  }

  return (
    <figure className="result-plot" data-testid={`plot-${plot.id}`}>
      <figcaption className="result-title plot-caption">
        <span>{plot.title}</span>
        <span className="plot-actions">
          <button type="button" className="button small-button" onClick={exportPng} aria-label={`Save ${plot.title} as PNG`}>
            PNG
          </button>
          <button type="button" className="button small-button" onClick={exportSvg} aria-label={`Save ${plot.title} as SVG`}>
            SVG
          </button>
        </span>
      </figcaption>
      <div ref={box} className="plot-box" role="img" aria-label={`${plot.title}: ${plot.yLabel} by ${plot.xLabel}. Drag across to zoom, double-click to see all.`} />
    </figure>
  );
}

/** A report in a sandboxed frame, at the URL the host gives for that one file (in the browser: signed, expiring). Keyed by the file. */
function ReportFrame({ runId, path }: { runId: string; path: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  useEffect(() => {
    let alive = true;
    request('runs.fileUrl', { id: runId, path }).then(
      (link) => {
        if (alive) setUrl(link.url);
      },
      (err: unknown) => {
        if (alive) setError(toErrorBody(err));
      },
    );
    return () => {
      alive = false;
    };
  }, [runId, path]);
  if (error) return <ErrorNotice error={error} compact />;
  if (!url) return <p className="muted">Opening the report…</p>;
  return <iframe className="report-frame" title={`Report ${path}`} sandbox="" src={url} referrerPolicy="no-referrer" data-testid="report-frame" />;
}

export function ResultFiles({ runId, files }: { runId: string; files: ResultFileInfo[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (files.length === 0) return null;
  return (
    <div className="result-files">
      <h4 className="result-title">Files</h4>
      <ul className="file-list">
        {files.map((f) => (
          <li key={f.path}>
            <span>{f.label}</span> <span className="mono small muted">{f.path}</span> <span className="small muted">{formatBytes(f.bytes)}</span>
            {f.kind === 'html' ? (
              <button type="button" className="button small-button" onClick={() => setOpen((o) => (o === f.path ? null : f.path))} aria-expanded={open === f.path}>
                {open === f.path ? 'Close report' : 'Open report'}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {open ? <ReportFrame key={open} runId={runId} path={open} /> : null}
    </div>
  );
}

export function StepResultView({ runId, result }: { runId: string; result: StepResult }) {
  const empty = result.metrics.length + result.tables.length + result.plots.length + result.files.length === 0;
  return (
    <div className="step-result" data-testid={`results-${result.step}`}>
      {empty ? <p className="muted">This step reported no results.</p> : null}
      <Metrics metrics={result.metrics} />
      {result.plots.length > 0 ? (
        <div className="plots">
          {result.plots.map((p) => (
            <ResultPlotView key={p.id} plot={p} />
          ))}
        </div>
      ) : null}
      {result.tables.map((t) => (
        <SortableTable key={t.id} table={t} />
      ))}
      <ResultFiles runId={runId} files={result.files} />
    </div>
  );
}
