import { useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { ReadsComparison } from '../../../shared/schemas/reads';
import { Card } from '../components/Card';
import { ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { formatNumber, formatPercent } from '../components/reads/format';
import { histogramPlot, PlotOrEmpty } from '../components/reads/ReadsPlots';
import { toErrorBody } from '../lib/errors';
import { readsHref, useRouteParam } from '../lib/router';
import { request } from '../stores/connectionStore';
import '../styles/reads.css';

type Summary = ReadsComparison['runs'][number];

const ROWS: { label: string; value: (s: Summary) => string }[] = [
  { label: 'Model', value: (s) => [s.run.model_tier, s.run.model_version].filter(Boolean).join(' ') || '—' },
  { label: 'Reads', value: (s) => formatNumber(s.reads) },
  { label: 'Bases', value: (s) => `${formatNumber(s.bases)} bp` },
  { label: 'Read N50', value: (s) => (s.n50 === null ? '—' : `${formatNumber(s.n50)} bp`) },
  { label: 'Mean q_bc', value: (s) => formatNumber(s.meanQ) },
  { label: 'Median q_bc', value: (s) => formatNumber(s.medianQ) },
  { label: 'Assigned to a reference', value: (s) => (s.reads > 0 ? formatPercent(s.assigned / s.reads) : '—') },
  { label: 'Mean ed', value: (s) => formatNumber(s.meanEd, 1) },
  { label: 'Mean q_ld', value: (s) => formatNumber(s.meanQld, 1) },
];

/** The basecall runs of one experiment side by side (e.g. hac vs sup), with overlaid histograms. */
export function ComparePage() {
  const expId = useRouteParam();
  // A page per experiment: nothing of the previous one's is shown while the next one loads.
  return <CompareExperiment key={expId ?? ''} expId={expId} />;
}

function CompareExperiment({ expId }: { expId: string | null }) {
  const [data, setData] = useState<ReadsComparison | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  useEffect(() => {
    if (!expId) return;
    request('reads.compare', { expId })
      .then(setData)
      .catch((err: unknown) => setError(toErrorBody(err)));
  }, [expId]);

  return (
    <>
      <PageHeader title={`Compare basecall runs of ${expId ?? '…'}`} description="Summary figures of every basecall run of the experiment, and their read-length and q_bc distributions on shared bins (as % of each run's reads)." />
      {error ? <ErrorNotice error={error} /> : null}
      {data ? (
        <div className="grid">
          <Card title="Side by side" span={3} flush>
            <table className="table zebra" data-testid="compare-table">
              <thead>
                <tr>
                  <th scope="col">Basecall run</th>
                  {data.runs.map((s) => (
                    <th key={s.run.run_id} scope="col" className="num">
                      <a className="link mono" href={readsHref(s.run.run_id)}>
                        {s.run.run_id}
                      </a>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROWS.map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{row.label}</th>
                    {data.runs.map((s) => (
                      <td key={s.run.run_id} className="num">
                        {row.value(s)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title="Histograms" span={3}>
            <div className="plots">
              <PlotOrEmpty plot={histogramPlot('compare-length', 'Read length (log bins)', 'read length (bp)', data.readLength, true)} />
              <PlotOrEmpty plot={histogramPlot('compare-qbc', 'Basecall quality q_bc', 'q_bc', data.qbc, true)} />
            </div>
          </Card>
        </div>
      ) : !error ? (
        <p className="placeholder" data-placeholder>
          Loading…
        </p>
      ) : null}
    </>
  );
}
