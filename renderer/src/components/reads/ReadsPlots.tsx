import type { Histogram, ReadsHistograms } from '../../../../shared/schemas/reads';
import type { StepResult } from '../../../../shared/schemas/results';
import { Card } from '../Card';
import { ResultPlotView } from '../Results';
import { formatNumber } from './format';

type Plot = StepResult['plots'][number];

/** A histogram as a result plot; `percent` turns each series' counts into % of its reads (runs of different depths compare). */
export function histogramPlot(id: string, title: string, xLabel: string, h: Histogram, percent = false): Plot {
  const series = percent
    ? h.series.map((s) => {
        const total = s.y.reduce((a, b) => a + b, 0);
        return { name: s.name, y: s.y.map((v) => (total > 0 ? (v / total) * 100 : 0)) };
      })
    : h.series;
  return { id, title, kind: 'histogram', xLabel, yLabel: percent ? '% of reads' : 'reads', logX: h.logX ?? false, x: h.x, series };
}

export function PlotOrEmpty({ plot }: { plot: Plot }) {
  if (plot.x.length === 0) {
    return (
      <figure className="result-plot" data-testid={`plot-${plot.id}`}>
        <figcaption className="result-title">{plot.title}</figcaption>
        <p className="empty">No reads to plot.</p>
      </figure>
    );
  }
  return <ResultPlotView plot={plot} />;
}

/** End reasons as a bar list: reason, category, count and share of the reads. */
export function EndReasons({ rows }: { rows: ReadsHistograms['endReasons'] }) {
  const total = rows.reduce((s, r) => s + r.reads, 0);
  return (
    <figure className="result-plot wide" data-testid="plot-end-reasons">
      <figcaption className="result-title">End reasons</figcaption>
      <table className="table compact end-reasons">
        <tbody>
          {rows.map((r) => {
            const share = total > 0 ? r.reads / total : 0;
            return (
              <tr key={r.end_reason}>
                <th scope="row" className="mono">
                  {r.end_reason}
                </th>
                <td className="muted">{r.category ?? '—'}</td>
                <td className="num">{formatNumber(r.reads)}</td>
                <td className="bar-cell">
                  <div className={`share-bar category-${r.category ?? 'unknown'}`} style={{ width: `${Math.max(0.5, share * 100)}%` }} />
                </td>
                <td className="num muted">{(share * 100).toFixed(1)} %</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

/** The run's plots; `filtered` says they show only the reads the table's filter keeps. */
export function ReadsPlots({ histograms, filtered = false }: { histograms: ReadsHistograms | null; filtered?: boolean }) {
  const total = histograms?.endReasons.reduce((s, r) => s + r.reads, 0) ?? null;
  return (
    <Card
      title="Plots"
      span={3}
      actions={
        total === null ? null : (
          <span className="muted" data-testid="plots-total">
            {formatNumber(total)} {total === 1 ? 'read' : 'reads'}
            {filtered ? ' matching the filter' : ''}
          </span>
        )
      }
    >
      {histograms ? (
        <div className="plots">
          <PlotOrEmpty plot={histogramPlot('read-length', 'Read length (log bins)', 'read length (bp)', histograms.readLength)} />
          <PlotOrEmpty plot={histogramPlot('qbc', 'Basecall quality q_bc', 'q_bc', histograms.qbc)} />
          <PlotOrEmpty plot={histogramPlot('ed-by-ref', `Edit distance per reference (bins of ${histograms.edByRef.binWidth ?? 1})`, 'ed', histograms.edByRef)} />
          <PlotOrEmpty plot={histogramPlot('qld-by-ref', 'q_ld per reference', 'q_ld', histograms.qldByRef)} />
          <EndReasons rows={histograms.endReasons} />
          <figure className="result-plot" data-testid="ref-stats">
            <figcaption className="result-title">Per reference</figcaption>
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col" className="num">Reads</th>
                  <th scope="col" className="num">Mean ed</th>
                  <th scope="col" className="num">ed range</th>
                  <th scope="col" className="num">Mean q_ld</th>
                </tr>
              </thead>
              <tbody>
                {histograms.refs.map((r) => (
                  <tr key={r.ref_id}>
                    <th scope="row" className="mono">{r.ref_id}</th>
                    <td className="num">{formatNumber(r.reads)}</td>
                    <td className="num">{formatNumber(r.meanEd, 1)}</td>
                    <td className="num">{r.minEd === null ? '—' : `${r.minEd}–${r.maxEd}`}</td>
                    <td className="num">{formatNumber(r.meanQld, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        </div>
      ) : (
        <p className="placeholder" data-placeholder>
          Counting…
        </p>
      )}
    </Card>
  );
}
