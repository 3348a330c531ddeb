import { useEffect, useRef, useState } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';
import type { QcVerdict, ReadsFilter, ReadsHistograms, RunSummaryInfo } from '../../../shared/schemas/reads';
import { Card } from '../components/Card';
import { KeyValues } from '../components/KeyValues';
import { ErrorNotice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { Metrics } from '../components/Results';
import { formatNumber, formatPercent } from '../components/reads/format';
import { ReadsPlots } from '../components/reads/ReadsPlots';
import { ReadsTable } from '../components/reads/ReadsTable';
import { VerdictCard } from '../components/reads/VerdictCard';
import { toErrorBody } from '../lib/errors';
import { compareHref, useRouteParam } from '../lib/router';
import { request } from '../stores/connectionStore';
import '../styles/reads.css';

/** Headline figures of a basecall run, as the Results metrics strip shows them. */
export function summaryMetrics(s: RunSummaryInfo) {
  return [
    { label: 'Reads', value: s.reads },
    { label: 'Bases', value: s.bases, unit: 'bp' },
    { label: 'Read N50', value: s.n50, unit: 'bp' },
    { label: 'Mean length', value: s.meanLength === null ? null : Math.round(s.meanLength), unit: 'bp' },
    { label: 'Mean q_bc', value: s.meanQ === null ? null : Number(s.meanQ.toFixed(2)) },
    { label: 'Median q_bc', value: s.medianQ === null ? null : Number(s.medianQ.toFixed(2)) },
    { label: 'Assigned to a reference', value: s.reads > 0 ? formatPercent(s.assigned / s.reads) : null },
    { label: 'Mean ed', value: s.meanEd === null ? null : Number(s.meanEd.toFixed(1)) },
  ];
}

function runTitle(s: RunSummaryInfo): string {
  const r = s.run;
  return [r.model_tier, r.model_version, r.trim === null ? null : r.trim ? 'trimmed' : 'untrimmed'].filter(Boolean).join(' · ');
}

export function ReadsPage() {
  const runId = useRouteParam();
  if (!runId) return <ErrorNotice error={{ code: 'not_found', message: 'Open the reads of a basecall run from its experiment: #/reads/<basecall run id>.' }} />;
  return <RunReads key={runId} runId={runId} />;
}

const dash = (v: string | number | null | undefined) => (v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v);

/** The basecall run and the run_summaries row its ingest stored (the figures above are recomputed from the reads). */
function RunCard({ summary }: { summary: RunSummaryInfo }) {
  const { run, stored } = summary;
  return (
    <Card title="Basecall run">
      <KeyValues
        items={[
          { label: 'Experiment', value: run.exp_id, mono: true },
          { label: 'Model', value: dash([run.model_tier, run.model_version].filter(Boolean).join(' ') || null) },
          { label: 'Trimmed', value: run.trim === null ? '—' : run.trim ? 'yes' : 'no' },
          { label: 'Modifications', value: dash(run.mod_bitflag) },
          { label: 'Status', value: dash(run.status) },
          { label: 'Stored reads', value: stored ? `${dash(stored.total_reads)} (${dash(stored.matched_reads)} matched)` : 'no run_summaries row' },
          ...(stored
            ? [
                { label: 'Stored mean q', value: dash(stored.mean_qbc === null ? null : Number(stored.mean_qbc.toFixed(2))) },
                {
                  label: 'End reasons',
                  value: [stored.er_signal_pos, stored.er_signal_neg, stored.er_unblock, stored.er_other].map(dash).join(' / '),
                  hint: 'signal + / signal − / unblock / other',
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function RunReads({ runId }: { runId: string }) {
  const [summary, setSummary] = useState<RunSummaryInfo | null>(null);
  const [histograms, setHistograms] = useState<ReadsHistograms | null>(null);
  const [verdict, setVerdict] = useState<QcVerdict | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [filter, setFilter] = useState<ReadsFilter>({});
  const histogramsFor = useRef<ReadsFilter | null>(null);

  useEffect(() => {
    const fail = (err: unknown) => setError(toErrorBody(err));
    request('reads.summary', { runId }).then(setSummary).catch(fail);
    request('reads.verdict', { runId }).then(setVerdict).catch(fail);
  }, [runId]);

  const applyFilter = (next: ReadsFilter) => {
    setHistograms(null);
    setFilter(next);
  };

  // The plots show the reads the table's filter keeps; an answer for an older filter is dropped.
  useEffect(() => {
    histogramsFor.current = filter;
    request('reads.histograms', { runId, filter }).then(
      (h) => histogramsFor.current === filter && setHistograms(h),
      (err: unknown) => histogramsFor.current === filter && setError(toErrorBody(err)),
    );
  }, [runId, filter]);

  return (
    <>
      <PageHeader
        title={`Reads of ${runId}`}
        description={
          summary ? (
            <>
              Experiment <span className="mono">{summary.run.exp_id}</span> · {runTitle(summary) || 'basecall run'} · {formatNumber(summary.reads)} reads
            </>
          ) : undefined
        }
        actions={
          summary ? (
            <a className="button" href={compareHref(summary.run.exp_id)}>
              Compare basecall runs
            </a>
          ) : undefined
        }
      />
      {error ? <ErrorNotice error={error} /> : null}
      {/* A run that cannot be read (none of that id, or its database unreadable) has nothing more to wait for. */}
      {error ? null : (
        <div className="grid">
          <section className="span-3" aria-label="Summary" data-testid="reads-summary">
            {summary ? <Metrics metrics={summaryMetrics(summary)} /> : <p className="placeholder" data-placeholder>Loading…</p>}
          </section>
          {summary ? <RunCard summary={summary} /> : null}
          <VerdictCard verdict={verdict} />
          <ReadsPlots histograms={histograms} filtered={Object.keys(filter).length > 0} />
          {summary ? <ReadsTable runId={runId} refIds={summary.refIds} endReasons={summary.endReasons} onFilter={applyFilter} /> : null}
        </div>
      )}
    </>
  );
}
